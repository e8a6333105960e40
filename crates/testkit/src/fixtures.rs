//! Fixtures shared by several crates' tests.

/// A ClickUp task as the intake form creates it (`GET /task/{id}`), every field type included.
pub const CLICKUP_FORM_TASK: &str = include_str!("../fixtures/clickup_form_task.json");

/// A throwaway RSA key in a Google service-account key file's PEM form (test use only).
pub const TEST_SERVICE_ACCOUNT_KEY: &str = include_str!("../fixtures/test_service_account_key.pem");

/// The roster most tests use: three Instagram creators.
pub const ROSTER: &str = "\
name,email,platform,handle,average views,min rate,max rate,engagement rate
Jane Doe,jane@creator.example,instagram,@jane,50000,,,2.0%
Raj Patel,raj@creator.example,instagram,@raj,40000,,,2.5%
Mia Chen,mia@creator.example,instagram,@mia,60000,,,1.5%
";

/// A second throwaway RSA key (PKCS#8 PEM), for signing tests' push tokens after a key
/// rotation (test use only; it guards nothing).
pub const TEST_OIDC_KEY_2: &str = include_str!("../fixtures/test_google_oidc_key_2.pem");
