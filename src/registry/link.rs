//! The `Link: <url>; rel="next"` header that pages `_catalog` and `tags/list`.

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
}
