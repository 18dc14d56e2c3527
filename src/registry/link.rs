//! The `Link: <url>; rel="next"` header that pages `_catalog`, `tags/list` and referrers, and
//! the rules for following it (ARCHITECTURE.md, "Credentials"): a next page is fetched only
//! from the registry's own origin, never twice, and never more than [`MAX_PAGES`] times, so a
//! hostile registry can neither collect our credentials elsewhere nor keep us paging forever.

use super::error::{Error, Result};
use std::collections::HashSet;

/// More pages than any real listing has (100,000 pages of 1,000 entries is 10^8 names); a
/// listing that goes on past it is a loop the repeated-URL check could not see.
pub const MAX_PAGES: usize = 100_000;

/// The `rel="next"` target of a Link header, resolved against `base` when it is relative.
#[must_use]
pub fn next_link(header: &str, base: &str) -> Option<String> {
    for part in header.split(',') {
        let part = part.trim();
        let Some(end) = part.find('>') else { continue };
        let Some(target) = part.get(1..end).filter(|_| part.starts_with('<')) else {
            continue;
        };
        let is_next = part[end + 1..].split(';').any(|p| {
            let p = p.trim();
            p.strip_prefix("rel=")
                .map(|v| v.trim_matches('"'))
                .is_some_and(|v| v.split_whitespace().any(|r| r == "next"))
        });
        if is_next {
            return Some(resolve(target, base));
        }
    }
    None
}

fn resolve(target: &str, base: &str) -> String {
    if target.starts_with("http://") || target.starts_with("https://") {
        target.to_owned()
    } else if target.starts_with('/') {
        format!("{base}{target}")
    } else {
        format!("{base}/{target}")
    }
}

/// Scheme, host and port of `url` (the port filled in from the scheme), or `None` when it
/// does not parse.
#[must_use]
pub fn origin(url: &str) -> Option<url::Origin> {
    url::Url::parse(url).ok().map(|u| u.origin())
}

/// Whether `url` is on the same origin (scheme, host and port) as `base`.
#[must_use]
pub fn same_origin(url: &str, base: &str) -> bool {
    match (origin(url), origin(base)) {
        (Some(a), Some(b)) => a.is_tuple() && a == b,
        _ => false,
    }
}

/// A next page is followed only on the registry's own origin. We refuse rather than follow
/// without credentials: a registry that pages elsewhere is misconfigured or hostile, and an
/// unauthenticated page from a third party would be trusted as the registry's listing.
pub fn checked_next(next: String, base: &str, registry: &str) -> Result<String> {
    if same_origin(&next, base) {
        return Ok(next);
    }
    if url::Url::parse(&next).is_err() {
        // Not another server: not a URL at all. Said once, never retried.
        return Err(Error::InvalidLink {
            registry: registry.to_owned(),
            link: shortened(&next),
        });
    }
    let foreign = url::Url::parse(&next).map_or_else(
        |_| next.clone(),
        |u| {
            let host = u.host_str().unwrap_or_default();
            match u.port() {
                Some(p) => format!("{}://{host}:{p}", u.scheme()),
                None => format!("{}://{host}", u.scheme()),
            }
        },
    );
    Err(Error::ForeignLink {
        registry: registry.to_owned(),
        target: foreign,
    })
}

/// A URL the registry sent, cut to a length a message can hold (the registry chooses it).
#[must_use]
pub fn shortened(url: &str) -> String {
    const MAX: usize = 200;
    match url.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &url[..end]),
        None => url.to_owned(),
    }
}

/// The pages of one listing seen so far: refuses a page URL seen before (a `Link` back to
/// itself or a cycle) and more than [`MAX_PAGES`] pages.
#[derive(Debug)]
pub struct Pager {
    registry: String,
    what: String,
    seen: HashSet<String>,
    limit: usize,
}

impl Pager {
    #[must_use]
    pub fn new(registry: &str, what: &str) -> Self {
        Self::with_limit(registry, what, MAX_PAGES)
    }

    #[must_use]
    pub fn with_limit(registry: &str, what: &str, limit: usize) -> Self {
        Self {
            registry: registry.to_owned(),
            what: what.to_owned(),
            seen: HashSet::new(),
            limit,
        }
    }

    /// Records that `url` is about to be fetched; an error if it was fetched before or the
    /// listing has run past the page limit.
    pub fn visit(&mut self, url: &str) -> Result<()> {
        let endless = |pages| Error::EndlessListing {
            registry: self.registry.clone(),
            what: self.what.clone(),
            pages,
        };
        if self.seen.len() >= self.limit {
            return Err(endless(self.seen.len()));
        }
        if !self.seen.insert(url.to_owned()) {
            return Err(endless(self.seen.len()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_absolute_and_missing() {
        let base = "http://127.0.0.1:5000";
        assert_eq!(
            next_link(r#"</v2/_catalog?last=b&n=1000>; rel="next""#, base).as_deref(),
            Some("http://127.0.0.1:5000/v2/_catalog?last=b&n=1000")
        );
        assert_eq!(
            next_link(
                r#"<https://other/v2/x/tags/list?n=2&last=c>; rel="prev", <https://other/v2/x/tags/list?n=2&last=d>; rel=next"#,
                base
            )
            .as_deref(),
            Some("https://other/v2/x/tags/list?n=2&last=d")
        );
        assert_eq!(next_link(r#"</v2/x>; rel="prev""#, base), None);
        assert_eq!(next_link("garbage", base), None);
    }

    #[test]
    fn only_the_same_origin_is_followed() {
        let base = "https://r.example:5000";
        assert!(same_origin("https://r.example:5000/v2/x?n=1", base));
        assert!(same_origin("https://R.example:5000/v2/", base));
        assert!(same_origin(
            "https://r.example/v2/",
            "https://r.example:443"
        ));
        for other in [
            "http://r.example:5000/v2/",
            "https://r.example:5001/v2/",
            "https://evil.example:5000/v2/",
            "https://r.example.evil:5000/v2/",
            "https://user@evil.example/v2/",
            "not a url",
        ] {
            assert!(!same_origin(other, base), "{other}");
        }
        let e =
            checked_next("https://evil.example:9/v2/x".into(), base, "r.example:5000").unwrap_err();
        assert_eq!(e.kind(), "foreign_link");
        let text = e.to_string();
        assert!(
            text.contains("r.example:5000") && text.contains("evil.example:9"),
            "{text}"
        );
    }

    #[test]
    fn a_repeated_page_or_too_many_pages_end_the_listing() {
        let mut p = Pager::new("r", "tags of x");
        p.visit("http://r/v2/x/tags/list").unwrap();
        p.visit("http://r/v2/x/tags/list?last=a").unwrap();
        let e = p.visit("http://r/v2/x/tags/list").unwrap_err();
        assert_eq!(e.kind(), "endless_listing");
        let mut p = Pager::with_limit("r", "tags of x", 3);
        for i in 0..3 {
            p.visit(&format!("http://r/{i}")).unwrap();
        }
        assert!(p.visit("http://r/3").is_err());
    }

    #[test]
    fn a_link_that_is_no_url_is_invalid_not_foreign() {
        let e = checked_next("http://[::1/v2/x".into(), "http://r", "r").unwrap_err();
        assert_eq!(e.kind(), "invalid_link", "{e}");
        assert_eq!(shortened(&"a".repeat(500)).chars().count(), 201);
    }
}
