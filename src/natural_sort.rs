//! Natural ordering for tags and names: `1.9` before `1.10`, `v2` before `v10`.

use std::cmp::Ordering;

/// Compares runs of digits by value and everything else byte-wise. Equal values with
/// different zero padding (`01` vs `1`) fall back to plain order so the sort is total.
#[must_use]
#[allow(clippy::many_single_char_names)]
pub fn compare(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (nx, rx) = split_digits(x);
                let (ny, ry) = split_digits(y);
                let (tx, ty) = (trim_zeros(nx), trim_zeros(ny));
                let by_value = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if by_value != Ordering::Equal {
                    return by_value;
                }
                x = rx;
                y = ry;
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    s.split_at(n)
}

fn trim_zeros(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| c == b'0').count();
    &s[n.min(s.len().saturating_sub(1))..]
}

/// Sorts in place, naturally.
pub fn sort<S: AsRef<str>>(items: &mut [S]) {
    items.sort_by(|a, b| compare(a.as_ref(), b.as_ref()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_value() {
        let mut v = vec!["1.10", "1.9", "1.2", "latest", "v10", "v2", "1.9.1", "01.9"];
        sort(&mut v);
        assert_eq!(
            v,
            ["1.2", "01.9", "1.9", "1.9.1", "1.10", "latest", "v2", "v10"]
        );
    }

    #[test]
    fn total_order_with_padding() {
        assert_eq!(compare("a01", "a1"), "a01".cmp("a1"));
        assert_eq!(compare("a", "a"), Ordering::Equal);
        assert_eq!(compare("", "0"), Ordering::Less);
        assert_eq!(compare("v0002", "v0010"), Ordering::Less);
    }
}
