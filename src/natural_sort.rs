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

/// Sorts in place, naturally: each item's key is made once (`sort_by_cached_key`), so a sort
/// of 100,000 tags walks each tag once instead of twice per comparison.
pub fn sort<S: AsRef<str>>(items: &mut [S]) {
    items.sort_by_cached_key(|s| Key::new(s.as_ref()));
}

/// A string's natural-order key: comparing two keys gives what [`compare`] gives for their
/// strings. The first `split` bytes encode the string as tokens whose byte order is the
/// natural order; the rest is the string itself, the tie-break between equal values with
/// different zero padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    bytes: Box<[u8]>,
    split: usize,
}

/// Starts a run of digits in a key. [`compare`] weighs a run against a non-digit byte by the
/// run's first digit, and every digit falls on the same side of a non-digit, so `0` stands
/// for all of them.
const RUN: u8 = b'0';

impl Key {
    /// Non-digit bytes are copied; a run of digits becomes `RUN`, its length without leading
    /// zeros (4 bytes, big-endian) and those digits, so a longer number sorts after a shorter
    /// one and numbers of one length by their digits.
    #[must_use]
    pub fn new(s: &str) -> Self {
        let mut bytes = Vec::with_capacity(s.len() * 2 + 8);
        let mut rest = s.as_bytes();
        while let Some(&c) = rest.first() {
            if c.is_ascii_digit() {
                let (run, after) = split_digits(rest);
                let value = trim_zeros(run);
                bytes.push(RUN);
                // A digit run of 4 GiB is not a tag; saturating keeps the function total.
                let len = u32::try_from(value.len()).unwrap_or(u32::MAX);
                bytes.extend_from_slice(&len.to_be_bytes());
                bytes.extend_from_slice(value);
                rest = after;
            } else {
                bytes.push(c);
                rest = &rest[1..];
            }
        }
        let split = bytes.len();
        bytes.extend_from_slice(s.as_bytes());
        Self {
            bytes: bytes.into_boxed_slice(),
            split,
        }
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, a_text) = self.bytes.split_at(self.split);
        let (b, b_text) = other.bytes.split_at(other.split);
        a.cmp(b).then_with(|| a_text.cmp(b_text))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
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

    /// Strings built from the bytes where the two orders could part: digits with and without
    /// zero padding, bytes just below `0` and just above `9`, and letters.
    fn random_string(rng: &mut impl rand::Rng) -> String {
        const ALPHABET: &[u8] = b"0000123456789/.-:;Aaz~";
        let len = rng.random_range(0..12);
        (0..len)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect()
    }

    #[test]
    fn the_keyed_sort_is_the_sort_by_compare() {
        use rand::SeedableRng as _;
        let mut rng = rand::rngs::StdRng::seed_from_u64(19);
        for _ in 0..300 {
            let mut items: Vec<String> = (0..40).map(|_| random_string(&mut rng)).collect();
            let mut by_compare = items.clone();
            by_compare.sort_by(|a, b| compare(a, b));
            sort(&mut items);
            assert_eq!(items, by_compare);
        }
        for _ in 0..20_000 {
            let (a, b) = (random_string(&mut rng), random_string(&mut rng));
            assert_eq!(
                Key::new(&a).cmp(&Key::new(&b)),
                compare(&a, &b),
                "{a:?} vs {b:?}"
            );
        }
    }

    #[test]
    fn keys_order_long_numbers_and_padding_as_compare_does() {
        for (a, b) in [
            ("v99999999999999999999", "v100000000000000000000"),
            ("a01", "a1"),
            ("a001b", "a1a"),
            ("", "0"),
            ("1.", "1"),
            ("x/1", "x1"),
            ("x~", "x9"),
        ] {
            assert_eq!(
                Key::new(a).cmp(&Key::new(b)),
                compare(a, b),
                "{a:?} vs {b:?}"
            );
            assert_eq!(
                Key::new(b).cmp(&Key::new(a)),
                compare(b, a),
                "{b:?} vs {a:?}"
            );
        }
    }
}
