//! What an X.509 certificate says about who signed: its subject and issuer names, validity,
//! subject alternative names (e-mail, URI, DNS) and the OIDC issuer Fulcio writes into its
//! own extensions (`1.3.6.1.4.1.57264.1.8`, or the older `.1.1`), plus its public key. Read,
//! never trusted: no chain is checked here, and nothing here makes a signature verified.

use super::der::{self, Tlv};
use serde::Serialize;

/// A certificate's claims.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
    /// Subject alternative names: e-mail addresses, URIs and DNS names.
    pub san: Vec<String>,
    /// Fulcio's OIDC issuer extension, when present.
    pub oidc_issuer: Option<String>,
    /// The DER `SubjectPublicKeyInfo`.
    #[serde(skip)]
    pub spki: Vec<u8>,
}

/// Fulcio's OIDC issuer (V2, a DER `UTF8String`).
const OID_FULCIO_ISSUER_V2: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x08];
/// Fulcio's OIDC issuer (V1, the raw string).
const OID_FULCIO_ISSUER_V1: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x01];
const OID_SAN: &[u8] = &[0x55, 0x1d, 0x11];

/// Every certificate of a PEM text, each parsed or `None` when it does not parse.
#[must_use]
pub fn from_pem(text: &str) -> Vec<Option<CertInfo>> {
    der::pem_blocks(text, "CERTIFICATE")
        .iter()
        .map(|d| parse(d))
        .collect()
}

/// A DER certificate's claims; `None` when it is not a certificate this reader understands.
#[must_use]
pub fn parse(der_bytes: &[u8]) -> Option<CertInfo> {
    let cert = der::whole(der_bytes, der::SEQUENCE)?;
    let tbs = der::children(cert.body)
        .next()
        .filter(|t| t.tag == der::SEQUENCE)?;
    let mut fields = der::children(tbs.body).peekable();
    if fields.peek().is_some_and(|t| t.tag == 0xa0) {
        fields.next();
    }
    let _serial = fields.next().filter(|t| t.tag == der::INTEGER)?;
    let _sig_alg = fields.next().filter(|t| t.tag == der::SEQUENCE)?;
    let issuer = fields.next().filter(|t| t.tag == der::SEQUENCE)?;
    let validity = fields.next().filter(|t| t.tag == der::SEQUENCE)?;
    let subject = fields.next().filter(|t| t.tag == der::SEQUENCE)?;
    let spki = fields.next().filter(|t| t.tag == der::SEQUENCE)?;
    let mut times = der::children(validity.body).map(|t| time(&t));
    let mut info = CertInfo {
        subject: name(&subject),
        issuer: name(&issuer),
        not_before: times.next().flatten()?,
        not_after: times.next().flatten()?,
        spki: spki.raw.to_vec(),
        ..CertInfo::default()
    };
    for field in fields {
        if field.tag == 0xa3 {
            let exts = der::whole(field.body, der::SEQUENCE)?;
            for ext in der::children(exts.body) {
                extension(&ext, &mut info);
            }
        }
    }
    Some(info)
}

fn extension(ext: &Tlv<'_>, info: &mut CertInfo) {
    let mut parts = der::children(ext.body);
    let Some(oid) = parts.next().filter(|t| t.tag == der::OID) else {
        return;
    };
    let Some(value) = parts.find(|t| t.tag == der::OCTET_STRING) else {
        return;
    };
    match oid.body {
        OID_SAN => {
            if let Some(names) = der::whole(value.body, der::SEQUENCE) {
                info.san = der::children(names.body)
                    .filter(|n| matches!(n.tag, 0x81 | 0x82 | 0x86))
                    .map(|n| String::from_utf8_lossy(n.body).into_owned())
                    .collect();
            }
        }
        OID_FULCIO_ISSUER_V2 => {
            if let Some(issuer) = der::read(value.body).and_then(|(t, _)| der::string(&t)) {
                info.oidc_issuer = Some(issuer);
            }
        }
        OID_FULCIO_ISSUER_V1 if info.oidc_issuer.is_none() => {
            info.oidc_issuer = Some(String::from_utf8_lossy(value.body).into_owned());
        }
        _ => {}
    }
}

/// `CN=…, O=…` in the certificate's order, with the common attribute names.
fn name(seq: &Tlv<'_>) -> String {
    let mut parts = Vec::new();
    for set in der::children(seq.body).filter(|t| t.tag == der::SET) {
        for atv in der::children(set.body).filter(|t| t.tag == der::SEQUENCE) {
            let mut kv = der::children(atv.body);
            let (Some(oid), Some(value)) = (kv.next(), kv.next()) else {
                continue;
            };
            let key = match oid.body {
                [0x55, 0x04, 0x03] => "CN".to_string(),
                [0x55, 0x04, 0x0a] => "O".to_string(),
                [0x55, 0x04, 0x0b] => "OU".to_string(),
                [0x55, 0x04, 0x06] => "C".to_string(),
                [0x55, 0x04, 0x07] => "L".to_string(),
                [0x55, 0x04, 0x08] => "ST".to_string(),
                [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "emailAddress".into(),
                other => der::oid_string(other),
            };
            let value = der::string(&value).unwrap_or_else(|| "?".into());
            parts.push(format!("{key}={value}"));
        }
    }
    parts.join(", ")
}

/// `YYYY-MM-DD HH:MM:SS UTC` from a `UTCTime` or `GeneralizedTime`.
fn time(t: &Tlv<'_>) -> Option<String> {
    let s = std::str::from_utf8(t.body).ok()?;
    let digits = s.strip_suffix('Z')?;
    let full = match t.tag {
        0x17 if digits.len() == 12 => {
            let yy: u32 = digits.get(..2)?.parse().ok()?;
            format!("{}{digits}", if yy >= 50 { "19" } else { "20" })
        }
        0x18 if digits.len() == 14 => digits.to_string(),
        _ => return None,
    };
    if !full.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!(
        "{}-{}-{} {}:{}:{} UTC",
        &full[..4],
        &full[4..6],
        &full[6..8],
        &full[8..10],
        &full[10..12],
        &full[12..14]
    ))
}
