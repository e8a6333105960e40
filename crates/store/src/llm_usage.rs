//! Language-model tokens spent per UTC day and purpose: what the daily token budget counts.

use rusqlite::params;

use crate::db::{execute, query_one};
use crate::{Db, Store, StoreError};

impl Store {
    /// Tokens spent on `purpose` on `day` (`YYYY-MM-DD`), 0 when none.
    pub async fn llm_tokens(&self, day: &str, purpose: &str) -> Result<u64, StoreError> {
        let tokens = self.db().with(|conn| {
            query_one(
                conn,
                "SELECT tokens FROM llm_usage_daily WHERE day = ?1 AND purpose = ?2",
                params![day, purpose],
                |row| Ok(row.get::<_, i64>(0)?),
            )
        })?;
        Ok(tokens.map_or(0, |t| u64::try_from(t).unwrap_or(0)))
    }

    /// Adds one call of `tokens` to `purpose` on `day`; returns the day's new total.
    pub async fn add_llm_tokens(
        &self,
        day: &str,
        purpose: &str,
        tokens: u64,
    ) -> Result<u64, StoreError> {
        let tokens = i64::try_from(tokens).unwrap_or(i64::MAX);
        let mut tx = self.begin_write().await?;
        let total: i64 = (&mut tx).with(|conn| {
            Ok(conn
                .prepare_cached(
                    "INSERT INTO llm_usage_daily (day, purpose, tokens, calls) VALUES (?1, ?2, ?3, 1)
                     ON CONFLICT (day, purpose) DO UPDATE
                        SET tokens = tokens + excluded.tokens, calls = calls + 1
                     RETURNING tokens",
                )?
                .query_row(params![day, purpose, tokens], |row| row.get(0))?)
        })?;
        tx.commit().await?;
        Ok(u64::try_from(total).unwrap_or(0))
    }

    /// True exactly once per `day` and `purpose`: the first caller tells the team the budget
    /// is spent, every later one (in this process or after a restart) does not.
    pub async fn claim_llm_budget_notice(
        &self,
        day: &str,
        purpose: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let claimed = (&mut tx).with(|conn| {
            execute(
                conn,
                "INSERT INTO llm_usage_daily (day, purpose) VALUES (?1, ?2)
                 ON CONFLICT (day, purpose) DO NOTHING",
                params![day, purpose],
            )?;
            let changed = execute(
                conn,
                "UPDATE llm_usage_daily SET notified = 1
                 WHERE day = ?1 AND purpose = ?2 AND notified = 0",
                params![day, purpose],
            )?;
            Ok(changed == 1)
        })?;
        tx.commit().await?;
        Ok(claimed)
    }
}
