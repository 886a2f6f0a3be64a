package dev.otklik.api.auth;

import io.nayuki.qrcodegen.QrCode;

/**
 * QR codes drawn as SVG, for the otpauth URI a person scans when enrolling an authenticator app.
 * Drawn on the server so the page needs no QR library; the SVG is one path of unit squares with a
 * four-module quiet zone, black on white, and scales to any size without blurring. It holds no
 * script or external reference, so a page may put it into its document as markup.
 */
public final class QrCodes {

  private static final int QUIET_ZONE = 4;

  private QrCodes() {}

  /** {@code text} as an SVG document, error correction level M (15 % of the symbol may be damaged). */
  public static String svg(String text) {
    return svg(QrCode.encodeText(text, QrCode.Ecc.MEDIUM));
  }

  static String svg(QrCode qr) {
    int size = qr.size + 2 * QUIET_ZONE;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < qr.size; y++) {
      for (int x = 0; x < qr.size; x++) {
        if (qr.getModule(x, y)) {
          path.append('M').append(x + QUIET_ZONE).append(',').append(y + QUIET_ZONE).append("h1v1h-1z");
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " + size + " " + size
        + "\" shape-rendering=\"crispEdges\" role=\"img\">"
        + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
        + "<path d=\"" + path + "\" fill=\"#000000\"/></svg>";
  }
}
