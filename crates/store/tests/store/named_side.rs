//! A negotiation's named side: empty by default, set and read back as parsed addresses.

use negotiator_domain::EmailAddress;
use negotiator_store::{StoreError, set_side_emails, side_emails};

use crate::common::{add_campaign, add_negotiation, open_temp};

fn address(text: &str) -> EmailAddress {
    EmailAddress::parse(text).unwrap()
}

#[tokio::test]
async fn the_named_side_is_empty_until_set_and_reads_back_as_set() {
    let (_dir, store) = open_temp().await;
    add_campaign(&store, "c1").await;
    let id = add_negotiation(&store, "c1", "Jane Doe").await;
    assert!(side_emails(store.db(), id).await.unwrap().is_empty());

    let side = [
        address("Manager@Agency.example"),
        address("pa@jane.example"),
    ];
    let mut conn = store.write().await.unwrap();
    set_side_emails(&mut conn, id, &side).await.unwrap();
    assert_eq!(side_emails(&mut conn, id).await.unwrap(), side);

    set_side_emails(&mut conn, id, &[]).await.unwrap();
    assert!(side_emails(&mut conn, id).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_missing_negotiation_or_a_damaged_value_is_an_error_not_an_empty_side() {
    let (_dir, store) = open_temp().await;
    add_campaign(&store, "c1").await;
    let id = add_negotiation(&store, "c1", "Jane Doe").await;
    let mut conn = store.write().await.unwrap();
    assert!(matches!(
        set_side_emails(&mut conn, 9_999, &[]).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        side_emails(&mut conn, 9_999).await,
        Err(StoreError::NotFound { .. })
    ));

    // The column refuses text that is not JSON.
    let refused =
        sqlx::query("UPDATE negotiations SET side_emails = 'a@x.com' WHERE negotiation_id = ?")
            .bind(id)
            .execute(store.pool())
            .await;
    assert!(refused.is_err());
    // A list smuggled in by hand is parsed again on the way out, and refused.
    sqlx::query("UPDATE negotiations SET side_emails = ? WHERE negotiation_id = ?")
        .bind(r#"["x@creator.example>,<spy@evil.example"]"#)
        .bind(id)
        .execute(store.pool())
        .await
        .unwrap();
    let error = side_emails(&mut conn, id).await.unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::CorruptValue {
                column: "side_emails",
                ..
            }
        ),
        "{error}"
    );
}
