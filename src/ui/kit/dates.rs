//! Dates from image configs (RFC 3339) shown as an age ("3 days ago") with the exact time on
//! hover, in the current language.

use crate::tr;

/// "3 days ago", "2 months ago", "just now", from seconds of age.
#[must_use]
pub fn age(seconds: i64) -> String {
    const MIN: i64 = 60;
    const HOUR: i64 = 60 * MIN;
    const DAY: i64 = 24 * HOUR;
    if seconds < MIN {
        return tr!("age-now");
    }
    let (key, n) = match seconds {
        s if s < HOUR => (crate::msg!("age-minutes"), s / MIN),
        s if s < DAY => (crate::msg!("age-hours"), s / HOUR),
        s if s < 30 * DAY => (crate::msg!("age-days"), s / DAY),
        s if s < 365 * DAY => (crate::msg!("age-months"), s / (30 * DAY)),
        s => (crate::msg!("age-years"), s / (365 * DAY)),
    };
    tr!(key, count = n)
}

/// The age of an RFC 3339 date now, and the date in the language's own way with the date as
/// written below it (for the tooltip).
#[must_use]
pub fn describe(created: &str) -> (String, String) {
    let written = created.replacen('T', " ", 1);
    let Some(then) = crate::format::parse_rfc3339(created) else {
        return (created.to_owned(), written);
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let exact = format!(
        "{}\n{written}",
        crate::format::date_time(crate::i18n::current_lang(), then)
    );
    (age(now - then), exact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_in_both_languages() {
        crate::i18n::set_thread_lang(crate::i18n::Lang::En);
        assert_eq!(age(5), "just now");
        assert_eq!(age(3 * 86_400), "3 days ago");
        assert_eq!(age(86_400), "1 day ago");
        crate::i18n::set_thread_lang(crate::i18n::Lang::Ko);
        assert_eq!(age(3 * 86_400), "3일 전");
        assert_eq!(age(2 * 3600), "2시간 전");
        crate::i18n::set_thread_lang(crate::i18n::Lang::En);
    }

    #[test]
    fn tooltip_has_the_localized_date_and_the_written_one() {
        crate::i18n::set_thread_lang(crate::i18n::Lang::Ko);
        let (_, exact) = describe("2023-11-14T22:13:20Z");
        assert_eq!(exact, "2023년 11월 14일 22:13 UTC\n2023-11-14 22:13:20Z");
        crate::i18n::set_thread_lang(crate::i18n::Lang::En);
    }
}
