//! The one retry budget of the registry client. Whole idempotent operations are retried (the
//! request, its body and its verification together), never a bare `send`, because a reset in
//! the middle of a body or a damaged blob only shows after the headers. One operation owns one
//! [`Attempts`] for its whole life, however many layers take part in it: a blob transfer that
//! resumes after a broken connection spends from the same budget as a 503 before it, so the
//! attempts of two layers never multiply (see ARCHITECTURE.md, "Retries"). The server's
//! `Retry-After` always wins over our own backoff. Requests that are not idempotent (uploads,
//! DELETE) never get a budget: they are sent once.

use super::error::Error;
use std::time::{Duration, Instant, SystemTime};

/// Bounds on retrying one idempotent operation.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included.
    pub max_tries: u32,
    /// No attempt starts later than this after the first one.
    pub max_total: Duration,
    /// The first backoff; it doubles on each further attempt.
    pub base_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_tries: 4,
            max_total: Duration::from_mins(1),
            base_delay: Duration::from_millis(200),
        }
    }
}

/// What one operation may still spend: attempts made so far and the deadline for the last.
/// Made by [`RegistryClient::attempts`](super::RegistryClient::attempts) when the operation
/// starts, and asked after each failure whether (and when) to try again.
#[derive(Debug)]
pub struct Attempts {
    policy: RetryPolicy,
    started: Instant,
    made: u32,
}

impl Attempts {
    #[must_use]
    pub fn new(policy: RetryPolicy) -> Self {
        Self {
            policy,
            started: Instant::now(),
            made: 0,
        }
    }

    /// Attempts begun so far.
    #[must_use]
    pub fn made(&self) -> u32 {
        self.made
    }

    /// Records that an attempt starts; returns its number (1 for the first).
    pub fn begin(&mut self) -> u32 {
        self.made += 1;
        self.made
    }

    /// After a failed attempt: how long to wait before the next one, or `None` when there is
    /// to be no next one (the error is not worth it, or the budget of tries or time is spent).
    /// `retry_after` is what the server asked for; it replaces the backoff.
    pub fn after_failure(
        &mut self,
        retryable: bool,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if !retryable || self.made >= self.policy.max_tries {
            return None;
        }
        let delay = retry_after.unwrap_or_else(|| backoff(self.policy.base_delay, self.made));
        // A server that asks for a longer wait than the budget has left gets its error back
        // at once, rather than a wait that ends in giving up anyway.
        (self.started.elapsed() + delay <= self.policy.max_total).then_some(delay)
    }

    /// [`Self::after_failure`] for a registry error.
    pub fn after(&mut self, err: &Error) -> Option<Duration> {
        self.after_failure(err.is_retryable(), err.retry_after())
    }
}

/// Exponential backoff with full jitter: `base * 2^(attempt-1)`, scaled by a random factor in
/// [0.5, 1.0), so that many clients do not retry in step.
pub(crate) fn backoff(base: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(10));
    let jitter = 0.5 + rand::random::<f64>() * 0.5;
    exp.mul_f64(jitter)
}

/// A `Retry-After` value in seconds: delta-seconds (`120`) or an HTTP date, counted from
/// `now` and rounded up (a date in the past is 0).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<u64> {
    let value = value.trim();
    if let Ok(secs) = value.parse() {
        return Some(secs);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let wait = at.duration_since(now).unwrap_or_default();
    Some(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_jittered() {
        let base = Duration::from_millis(100);
        for attempt in 1..6 {
            let d = backoff(base, attempt);
            let full = base * (1 << (attempt - 1));
            assert!(d >= full / 2 && d < full, "attempt {attempt}: {d:?}");
        }
    }

    #[test]
    fn the_budget_counts_every_attempt_and_honours_retry_after() {
        let mut a = Attempts::new(RetryPolicy::default());
        assert_eq!(a.begin(), 1);
        assert_eq!(
            a.after_failure(true, Some(Duration::from_secs(3))),
            Some(Duration::from_secs(3))
        );
        assert_eq!(a.begin(), 2);
        assert_eq!(a.after_failure(false, None), None, "not worth another");
        assert!(a.after_failure(true, None).is_some());
        a.begin();
        a.begin();
        assert_eq!(a.made(), 4);
        assert_eq!(a.after_failure(true, None), None, "four in total");
    }

    #[test]
    fn a_wait_longer_than_the_budget_gives_up_at_once() {
        let mut a = Attempts::new(RetryPolicy::default());
        a.begin();
        assert_eq!(a.after_failure(true, Some(Duration::from_secs(61))), None);
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(parse_retry_after(" 7 ", now), Some(7));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(30)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(0)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
