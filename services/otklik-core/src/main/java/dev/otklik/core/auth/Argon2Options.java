package dev.otklik.core.auth;

/**
 * Cost of one Argon2id hash.
 *
 * @param memoryKib   memory per hash in KiB
 * @param iterations  passes over that memory
 * @param parallelism lanes; Bouncy Castle computes them on the calling thread one after another,
 *                    so more lanes cost time without using more cores
 */
public record Argon2Options(int memoryKib, int iterations, int parallelism) {

  /**
   * Production cost: 19 MiB, 2 passes, 1 lane (OWASP's first recommended Argon2id setting).
   * One check takes tens of milliseconds on the 2-core build machine (the {@code password}
   * benchmark in otklik-bench measures it): quick for a login, expensive for a guesser.
   */
  public static final Argon2Options DEFAULT = new Argon2Options(19 * 1024, 2, 1);

  /** Upper bounds when reading a stored hash, so a forged row cannot make one check take minutes. */
  static final int MAX_MEMORY_KIB = 1024 * 1024;
  static final int MAX_ITERATIONS = 64;
  static final int MAX_PARALLELISM = 16;

  public Argon2Options {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("argon2 parallelism must be 1.." + MAX_PARALLELISM + ", was " + parallelism);
    }
    if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException("argon2 memory must be " + 8 * parallelism + ".." + MAX_MEMORY_KIB
          + " KiB, was " + memoryKib);
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("argon2 iterations must be 1.." + MAX_ITERATIONS + ", was " + iterations);
    }
  }
}
