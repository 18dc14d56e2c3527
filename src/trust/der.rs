//! A small DER reader: just enough ASN.1 to find a public key's algorithm and to read the
//! names, validity and extensions of an X.509 certificate. It never allocates for a value,
//! refuses what it does not understand (high tag numbers, indefinite or over-long lengths)
//! and gives `None` rather than panicking on any input.

/// One tag-length-value: its tag byte, its contents, and the whole encoding.
#[derive(Clone, Copy, Debug)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub body: &'a [u8],
    pub raw: &'a [u8],
}

pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;
pub const OID: u8 = 0x06;
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;

/// The first TLV of `input` and what follows it.
#[must_use]
pub fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    let header = input.len() - rest.len();
    Some((
        Tlv {
            tag,
            body: &rest[..len],
            raw: &input[..header + len],
        },
        &rest[len..],
    ))
}

/// Exactly one TLV of `tag` filling `input`.
#[must_use]
pub fn whole(input: &[u8], tag: u8) -> Option<Tlv<'_>> {
    match read(input)? {
        (t, []) if t.tag == tag => Some(t),
        _ => None,
    }
}

/// The TLVs inside a constructed value, in order; stops at the first malformed one.
pub fn children(body: &[u8]) -> impl Iterator<Item = Tlv<'_>> {
    let mut rest = body;
    std::iter::from_fn(move || {
        let (t, r) = read(rest)?;
        rest = r;
        Some(t)
    })
}

/// An object identifier's dotted form (`1.2.840.10045.2.1`).
#[must_use]
pub fn oid_string(body: &[u8]) -> String {
    let mut parts = Vec::new();
    let mut value: u64 = 0;
    for (i, b) in body.iter().enumerate() {
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if parts.is_empty() {
                let first = (value / 40).min(2);
                parts.push(first);
                parts.push(value - first * 40);
            } else {
                parts.push(value);
            }
            value = 0;
        } else if i + 1 == body.len() || value > u64::MAX >> 8 {
            break;
        }
    }
    parts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A string value (`UTF8String`, `PrintableString`, `IA5String`, `T61String`, `BMPString` as far as it
/// is ASCII); other tags give `None`.
#[must_use]
pub fn string(t: &Tlv<'_>) -> Option<String> {
    match t.tag {
        0x0c | 0x13 | 0x16 | 0x14 | 0x1a => Some(String::from_utf8_lossy(t.body).into_owned()),
        0x1e => Some(
            t.body
                .chunks(2)
                .filter_map(|c| match c {
                    [hi, lo] => char::from_u32((u32::from(*hi) << 8) | u32::from(*lo)),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    }
}

/// The body of a PEM block labelled `label` (`PUBLIC KEY`, `CERTIFICATE`), decoded; every
/// block of that label in `text`, in order.
#[must_use]
pub fn pem_blocks(text: &str, label: &str) -> Vec<Vec<u8>> {
    use base64::Engine as _;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let after = &rest[start + begin.len()..];
        let Some(stop) = after.find(&end) else { break };
        let b64: String = after[..stop]
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(b64) {
            out.push(bytes);
        }
        rest = &after[stop + end.len()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lengths_and_refuses_truncation() {
        let (t, rest) = read(&[0x30, 0x03, 0x02, 0x01, 0x05, 0xff]).expect("tlv");
        assert_eq!(t.tag, SEQUENCE);
        assert_eq!(t.body, &[0x02, 0x01, 0x05]);
        assert_eq!(rest, &[0xff]);
        assert!(read(&[0x30, 0x05, 0x02]).is_none());
        assert!(read(&[0x30, 0x80]).is_none());
        assert!(read(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_none());
    }

    #[test]
    fn oid_is_dotted() {
        assert_eq!(
            oid_string(&[0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x08]),
            "1.3.6.1.4.1.57264.1.8"
        );
        assert_eq!(
            oid_string(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]),
            "1.2.840.10045.2.1"
        );
    }
}
