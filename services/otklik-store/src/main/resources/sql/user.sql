-- Statements of UserStore. Every one runs inside TenantTransactions.inTenant.

-- name: insert-user
INSERT INTO app_user (id, tenant_id, email, display_name, locale, password_hash, role, organisation_id)
VALUES (:id, :tenant_id, :email, :display_name, :locale, :password_hash, :role, :organisation_id)
RETURNING *

-- name: find-by-email
SELECT * FROM app_user WHERE tenant_id = :tenant_id AND lower(email) = lower(:email)

-- name: find-by-id
SELECT * FROM app_user WHERE tenant_id = :tenant_id AND id = :id

-- name: set-password-hash
UPDATE app_user SET password_hash = :password_hash, version = version + 1
 WHERE tenant_id = :tenant_id AND id = :id
