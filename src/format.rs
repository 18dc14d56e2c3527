//! Human formatting shared by every source: sizes in decimal units as Docker shows them
//! (kB, MB, GB) or binary ones (KiB, MiB), Unix times as UTC dates, machine-readable or
//! written the way the language writes them, and the one RFC 3339 reader (image configs'
//! `created`) that the window, the tag sort and retention share. Counts get thousands separators through
//! `i18n::group_thousands`; ages ("3 days ago") are in `ui::dates`. Text from outside (a
//! registry's tag, a label, a tar name, a server's error) goes through [`escape`] before a
//! person sees it, so it can never move the cursor, recolour the screen or fake a line.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Would this character act on a terminal or reorder the text around it instead of being
/// shown? C0 and C1 controls (ESC, CR, LF, TAB, DEL...) and the Unicode bidi controls
/// (embeddings, overrides, isolates and marks).
#[must_use]
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Text for a person: every unsafe character (see [`is_unsafe_char`]) written as a Rust
/// escape (`\n`, `\u{1b}`, `\u{202e}`), everything else as it is. Borrowed when nothing
/// needed escaping. `--json` never goes through this: it keeps the exact text.
#[must_use]
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text);
    Cow::Owned(out)
}

/// A sentence or a block of text for a person that may quote names from outside (an error
/// naming a tag): each line escaped as [`escape`] does, the line breaks kept.
#[must_use]
pub fn escape_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_unsafe_char(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(escape).collect();
    Cow::Owned(lines.join("\n"))
}

/// Bytes for a person (a tar name): valid UTF-8 as [`escape`] shows it, every other byte
/// as `\xNN`, so a name can never rewrite a terminal line or hide its real bytes.
#[must_use]
pub fn escape_bytes(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return escape(s);
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        push_escaped(&mut out, chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        if is_unsafe_char(c) {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
    }
}

/// Text from outside kept to one line of at most `max_chars` characters: escaped as
/// [`escape`] does, and cut with `…` when longer (a server's error page, a long reason).
#[must_use]
pub fn one_line(text: &str, max_chars: usize) -> Cow<'_, str> {
    let escaped = escape(text);
    if escaped.chars().count() <= max_chars {
        return escaped;
    }
    let mut cut: String = escaped.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    Cow::Owned(cut)
}

/// The longest a name from outside (a registry's, repository's, tag's, store's or image's)
/// is shown in the title bar, the breadcrumb and a job's name, in characters.
pub const NAME_MAX_CHARS: usize = 120;

/// A name from outside as the window shows it where it is not a row of its own (the title
/// bar, the breadcrumb, a job's name): escaped as [`escape`] does, so control and bidi
/// characters are spelt out, and longer than [`NAME_MAX_CHARS`] cut in the middle with `…`,
/// keeping both ends (the registry and the tag) readable.
#[must_use]
pub fn display_name(name: &str) -> Cow<'_, str> {
    let escaped = escape(name);
    let count = escaped.chars().count();
    if count <= NAME_MAX_CHARS {
        return escaped;
    }
    let head = (NAME_MAX_CHARS - 1) / 2;
    let tail = NAME_MAX_CHARS - 1 - head;
    let mut cut: String = escaped.chars().take(head).collect();
    cut.push('…');
    cut.extend(escaped.chars().skip(count - tail));
    Cow::Owned(cut)
}

/// `1234567` → `1.23 MB`. Exact bytes are for `--json` and tooltips.
#[must_use]
pub fn size(bytes: u64) -> String {
    scaled(bytes, 1000.0, ["kB", "MB", "GB", "TB", "PB"])
}

/// `1234567` → `1.18 MiB`: binary units (KiB, MiB, GiB), for sizes that count in powers of
/// two, such as memory and file-system blocks.
#[must_use]
pub fn size_binary(bytes: u64) -> String {
    scaled(bytes, 1024.0, ["KiB", "MiB", "GiB", "TiB", "PiB"])
}

/// Divides by `step` until the value is below it, and keeps three significant digits.
fn scaled(bytes: u64, step: f64, units: [&str; 5]) -> String {
    if (bytes as f64) < step {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = "B";
    for u in units {
        if value < step {
            break;
        }
        value /= step;
        unit = u;
    }
    let text = if value < 10.0 {
        format!("{value:.2}")
    } else if value < 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    };
    format!("{text} {unit}")
}

/// A size for a tooltip: `1.23 MB (1,234,567 bytes)`, in the language's words.
#[must_use]
pub fn size_exact(lang: crate::i18n::Lang, bytes: u64) -> String {
    let n = crate::i18n::group_thousands(i64::try_from(bytes).unwrap_or(i64::MAX));
    match lang {
        crate::i18n::Lang::En => format!("{} ({n} bytes)", size(bytes)),
        crate::i18n::Lang::Ko => format!("{} ({n}바이트)", size(bytes)),
    }
}

/// Unix seconds as an absolute date and time in UTC, written the way the language writes
/// dates: `Nov 14, 2023, 22:13 UTC`, `2023년 11월 14일 22:13 UTC`.
#[must_use]
pub fn date_time(lang: crate::i18n::Lang, secs: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, _) = utc(secs);
    match lang {
        crate::i18n::Lang::En => {
            let month = MONTHS[usize::try_from(mo - 1).unwrap_or(0).min(11)];
            format!("{month} {d}, {y}, {h:02}:{mi:02} UTC")
        }
        crate::i18n::Lang::Ko => format!("{y}년 {mo}월 {d}일 {h:02}:{mi:02} UTC"),
    }
}

/// Unix seconds as UTC `(year, month, day, hour, minute, second)`, proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`), so no date crate is needed for three formats.
#[must_use]
pub fn utc(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Unix seconds as RFC 3339 UTC (`2024-01-02T03:04:05Z`).
#[must_use]
pub fn rfc3339(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = utc(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Seconds since the Unix epoch (UTC) of an RFC 3339 date such as
/// `2024-01-05T12:34:56.789+09:00` (fractions of a second dropped, the offset applied);
/// `None` if it is not one. A date without a zone is not RFC 3339 and is refused.
#[must_use]
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let bytes = s.as_bytes();
    if bytes.len() < 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !matches!(bytes[10], b'T' | b't')
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }
    let num = |r| num_in(s, r);
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Skip fractional seconds, then read the zone.
    let rest = s.get(19..)?;
    let zone = rest
        .strip_prefix('.')
        .map_or(rest, |f| f.trim_start_matches(|c: char| c.is_ascii_digit()));
    let offset = match zone {
        "Z" | "z" => 0,
        zone if zone.len() == 6
            && (zone.starts_with('+') || zone.starts_with('-'))
            && zone.as_bytes()[3] == b':' =>
        {
            let (hours, minutes) = (num_in(zone, 1..3)?, num_in(zone, 4..6)?);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            sign * (hours * 3600 + minutes * 60)
        }
        _ => return None,
    };
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// The digits of `s` in `r` as a number; `None` for anything but ASCII digits.
fn num_in(s: &str, r: std::ops::Range<usize>) -> Option<i64> {
    let part = s.get(r)?;
    part.bytes()
        .all(|c| c.is_ascii_digit())
        .then(|| part.parse::<i64>().ok())?
}

/// Howard Hinnant's `days_from_civil`: days since 1970-01-01 of a proleptic Gregorian date
/// (the inverse of [`utc`]'s date part).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix seconds as `YYYY-MM-DD HH:MM` UTC (what `tar -tv` shows with `TZ=UTC`).
#[must_use]
pub fn utc_minutes(secs: i64) -> String {
    let (y, mo, d, h, mi, _) = utc(secs);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn outside_text_is_escaped() {
        assert_eq!(super::escape("plain tag"), "plain tag");
        assert_eq!(super::escape("\x1b[31mred\nfake"), "\\u{1b}[31mred\\nfake");
        assert_eq!(super::escape("a\rb\tc\u{7f}"), "a\\rb\\tc\\u{7f}");
        assert_eq!(super::escape("x\u{202e}y\u{9b}"), "x\\u{202e}y\\u{9b}");
        assert_eq!(super::escape("caf\u{e9} 한글 \\n"), "caf\u{e9} 한글 \\n");
        assert_eq!(super::escape_bytes(b"bad\xff\x1b"), "bad\\xff\\u{1b}");
        assert_eq!(super::one_line("ab\ncd", 100), "ab\\ncd");
        assert_eq!(
            super::escape_lines("Not found: a:b\u{202e}c\nsecond\u{1b}line"),
            "Not found: a:b\\u{202e}c\nsecond\\u{1b}line"
        );
        assert!(matches!(
            super::escape_lines("two\nlines"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(super::one_line("abcdef", 4), "abc…");
    }

    #[test]
    fn utc_dates() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(super::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(super::utc_minutes(1_700_000_000), "2023-11-14 22:13");
        assert_eq!(super::rfc3339(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn rfc3339_dates_with_zones_and_fractions() {
        use super::parse_rfc3339;
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("1970-01-02T00:00:01Z"), Some(86_401));
        assert_eq!(
            parse_rfc3339("2024-01-05T12:34:56.789Z"),
            Some(1_704_458_096)
        );
        assert_eq!(
            parse_rfc3339("2023-11-14T22:13:20.123456789Z"),
            Some(1_700_000_000)
        );
        assert_eq!(
            parse_rfc3339("2023-11-15T07:13:20+09:00"),
            Some(1_700_000_000)
        );
        assert_eq!(
            parse_rfc3339("2023-11-14T21:13:20-01:00"),
            Some(1_700_000_000)
        );
        assert_eq!(parse_rfc3339("2000-02-29t00:00:00z"), Some(951_782_400));
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59Z"), Some(-1));
        // Round trip with the writer.
        assert_eq!(
            parse_rfc3339(&super::rfc3339(1_700_000_000)),
            Some(1_700_000_000)
        );
    }

    #[test]
    fn rfc3339_refuses_what_is_not_a_date() {
        use super::parse_rfc3339;
        for bad in [
            "yesterday",
            "",
            "2023-11-14 22:13:20Z",
            "2023-11-14T22:13:20",
            "2023-13-14T22:13:20Z",
            "2023-11-14T24:13:20Z",
            "2023-11-14T22:13:20+0900",
            "2023-11-14T22:13:20+09-00",
            "2023-11-14T22:13:20.Zx",
            "+023-11-14T22:13:20Z",
            "2023-11-14T22:13:20+9:000",
            "２０２３-11-14T22:13:20Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn names_are_escaped_and_cut_in_the_middle() {
        use super::{NAME_MAX_CHARS, display_name};
        assert!(matches!(
            display_name("team/app:v1"),
            std::borrow::Cow::Borrowed("team/app:v1")
        ));
        assert_eq!(
            display_name("evil\u{1b}[2J\u{202e}gpj.exe\n"),
            "evil\\u{1b}[2J\\u{202e}gpj.exe\\n"
        );
        let long = format!("{}:{}", "a".repeat(300), "tag-end");
        let shown = display_name(&long);
        assert_eq!(shown.chars().count(), NAME_MAX_CHARS);
        assert!(
            shown.starts_with("aaaa") && shown.ends_with(":tag-end"),
            "{shown}"
        );
        assert!(shown.contains('…'));
        // A cut never splits an escape into a control character again.
        let controls = "\u{202e}".repeat(200);
        assert!(!display_name(&controls).chars().any(super::is_unsafe_char));
    }

    #[test]
    fn binary_units() {
        assert_eq!(super::size_binary(1023), "1023 B");
        assert_eq!(super::size_binary(1024), "1.00 KiB");
        assert_eq!(super::size_binary(1_234_567), "1.18 MiB");
        assert_eq!(super::size_binary(3 * 1024 * 1024 * 1024), "3.00 GiB");
        assert_eq!(super::size_binary(200 * 1024 * 1024), "200 MiB");
    }

    #[test]
    fn exact_sizes_and_dates_per_language() {
        use crate::i18n::Lang;
        assert_eq!(
            super::size_exact(Lang::En, 1_234_567),
            "1.23 MB (1,234,567 bytes)"
        );
        assert_eq!(
            super::size_exact(Lang::Ko, 1_234_567),
            "1.23 MB (1,234,567바이트)"
        );
        assert_eq!(
            super::date_time(Lang::En, 1_700_000_000),
            "Nov 14, 2023, 22:13 UTC"
        );
        assert_eq!(
            super::date_time(Lang::Ko, 1_700_000_000),
            "2023년 11월 14일 22:13 UTC"
        );
        assert_eq!(super::date_time(Lang::En, 0), "Jan 1, 1970, 00:00 UTC");
    }

    #[test]
    fn decimal_units() {
        assert_eq!(super::size(999), "999 B");
        assert_eq!(super::size(1000), "1.00 kB");
        assert_eq!(super::size(1_234_567), "1.23 MB");
        assert_eq!(super::size(45_600_000), "45.6 MB");
        assert_eq!(super::size(209_715_200), "210 MB");
        assert_eq!(super::size(3_000_000_000), "3.00 GB");
    }
}
