-- Statements of ExternalIdentityStore and OidcFlowStore (V019). Every one runs inside
-- TenantTransactions.inTenant.

-- The account a provider's subject is linked to, locked for the rest of the sign-in.
-- name: lock-identity
SELECT i.user_id FROM external_identity i
 WHERE i.tenant_id = :tenant_id AND i.provider_id = :provider_id AND i.subject = :subject
   FOR UPDATE

-- An account with this e-mail (case ignored), locked; service accounts (API keys) are never linked.
-- name: lock-account-by-email
SELECT id, enabled, service_account FROM app_user
 WHERE tenant_id = :tenant_id AND lower(email) = lower(:email)
   FOR UPDATE

-- name: lock-account
SELECT id, role, organisation_id, enabled, service_account FROM app_user
 WHERE tenant_id = :tenant_id AND id = :id
   FOR UPDATE

-- name: insert-identity
INSERT INTO external_identity (tenant_id, provider_id, subject, user_id, email, created_at, last_sign_in_at)
VALUES (:tenant_id, :provider_id, :subject, :user_id, :email, :now, :now)

-- name: touch-identity
UPDATE external_identity SET last_sign_in_at = :now
 WHERE tenant_id = :tenant_id AND provider_id = :provider_id AND subject = :subject

-- The role the provider's claims give now; a customer keeps (or gets) an organisation.
-- name: set-role
UPDATE app_user SET role = :role, organisation_id = coalesce(organisation_id, :organisation_id::uuid),
       version = version + 1
 WHERE tenant_id = :tenant_id AND id = :id

-- An organisation named by a claim: its id, or its contract number.
-- name: find-organisation-by-reference
SELECT id FROM organisation
 WHERE tenant_id = :tenant_id AND (id::text = lower(:reference) OR contract_number = :reference)
 LIMIT 2

-- name: find-organisation-by-domain
SELECT organisation_id FROM organisation_email_domain WHERE tenant_id = :tenant_id AND domain = :domain

-- name: list-identities
SELECT provider_id, subject, email, created_at, last_sign_in_at FROM external_identity
 WHERE tenant_id = :tenant_id AND user_id = :user_id
 ORDER BY created_at, provider_id

-- name: insert-state
INSERT INTO oidc_login_state (tenant_id, state_hash, provider_id, nonce, code_verifier, return_to, browser_hash,
                              created_at, expires_at)
VALUES (:tenant_id, :state_hash, :provider_id, :nonce, :code_verifier, :return_to, :browser_hash, :now, :expires_at)

-- Lapsed flows and codes go when new ones are made (a day after they lapsed, for the record).
-- name: delete-lapsed-states
DELETE FROM oidc_login_state WHERE tenant_id = :tenant_id AND expires_at < :before

-- A live state, spent by reading it: a second callback with it finds nothing.
-- name: spend-state
UPDATE oidc_login_state SET used_at = :now
 WHERE tenant_id = :tenant_id AND state_hash = :state_hash AND used_at IS NULL AND expires_at > :now
RETURNING provider_id, nonce, code_verifier, return_to, browser_hash

-- name: insert-code
INSERT INTO oidc_sign_in_code (tenant_id, code_hash, user_id, provider_id, amr, created_at, expires_at)
VALUES (:tenant_id, :code_hash, :user_id, :provider_id, :amr, :now, :expires_at)

-- name: delete-lapsed-codes
DELETE FROM oidc_sign_in_code WHERE tenant_id = :tenant_id AND expires_at < :before

-- name: spend-code
UPDATE oidc_sign_in_code SET used_at = :now
 WHERE tenant_id = :tenant_id AND code_hash = :code_hash AND used_at IS NULL AND expires_at > :now
RETURNING user_id, provider_id, amr
