-- The dashboard's team logins and their sessions.
--
-- `password_hash` is an Argon2id PHC string (salt and parameters inside); the password itself is
-- never stored. A session is kept by the SHA-256 of its cookie token, so a copy of the database
-- cannot be used to sign in; its CSRF token is sent with every form and checked on each POST.
CREATE TABLE dashboard_users (
    user_id       INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE dashboard_sessions (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES dashboard_users (user_id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX dashboard_sessions_by_user ON dashboard_sessions (user_id);
