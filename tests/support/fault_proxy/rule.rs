//! Which requests a fault applies to: a [`Rule`] by path and method, with a count of requests
//! to let through first and of faults to inject.

use super::super::wire::Head;

/// Which requests a fault applies to.
#[derive(Clone, Debug)]
pub struct Rule {
    method: Option<String>,
    path_contains: String,
    pub(super) skip: usize,
    pub(super) times: Option<usize>,
}

impl Rule {
    /// Requests whose path (with query) contains `path_contains`, any method.
    pub fn path(path_contains: &str) -> Self {
        Rule {
            method: None,
            path_contains: path_contains.to_owned(),
            skip: 0,
            times: None,
        }
    }
    /// Only this method (`GET`, `HEAD`, ...).
    #[must_use]
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }
    /// Let the first `n` matching requests through untouched.
    #[must_use]
    pub fn skip(mut self, n: usize) -> Self {
        self.skip = n;
        self
    }
    /// Apply the fault to `n` requests, then let the rest through (default: every one).
    #[must_use]
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }
    pub(super) fn matches(&self, head: &Head) -> bool {
        self.method.as_ref().is_none_or(|m| *m == head.method)
            && head.target.contains(&self.path_contains)
    }
}
