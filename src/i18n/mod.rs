//! The message catalog: every sentence a person reads, in English and Korean.
//!
//! Messages live in Fluent files under `assets/i18n/` and are compiled into the binary. Views
//! and the CLI ask for a message by key (`tr!("tags-title")`, `tr!("repos-count", count = n)`);
//! core errors carry a kind and its arguments, and [`describe`] (in `errors/`, one place for
//! the window and the CLI) turns them into a sentence. The language is chosen once per
//! process (`--lang`, the settings, the system locale) and can be switched per thread, so the
//! window can change language at once and tests in parallel threads can each pin their own.

mod errors;

pub use errors::{
    Describe, core_error, describe, describe_error, describe_error_brief, describe_keep_reason,
    describe_layer_in_row, describe_skip_reason, signature_badge, signature_kind, signature_reason,
    signature_state, signature_who,
};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::cell::Cell;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// The languages Berth speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Ko,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The language for a locale tag such as `ko`, `ko-KR`, `ko_KR.UTF-8` or `en-US`;
    /// `None` for languages Berth does not speak.
    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" | "c" | "posix" => Some(Self::En),
            "ko" => Some(Self::Ko),
            _ => None,
        }
    }

    /// The stable tag stored in settings and accepted by `--lang`.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ko => "ko",
        }
    }

    /// The language's own name, as a language menu shows it (never translated).
    #[must_use]
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Ko => "한국어",
        }
    }

    fn index(self) -> u8 {
        match self {
            Self::En => 0,
            Self::Ko => 1,
        }
    }

    fn from_index(i: u8) -> Self {
        if i == 1 { Self::Ko } else { Self::En }
    }
}

/// Picks the language: the command line wins, then the settings, then the system locale.
/// Unknown tags fall through to the next source; English is the last resort.
#[must_use]
pub fn choose_lang(cli: Option<&str>, settings: Option<&str>) -> Lang {
    cli.and_then(Lang::from_tag)
        .or_else(|| settings.and_then(Lang::from_tag))
        .or_else(|| sys_locale::get_locale().as_deref().and_then(Lang::from_tag))
        .unwrap_or_default()
}

static DEFAULT_LANG: AtomicU8 = AtomicU8::new(0);

thread_local! {
    static THREAD_LANG: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Sets the language for every thread that has not chosen its own.
pub fn set_default_lang(lang: Lang) {
    DEFAULT_LANG.store(lang.index(), Ordering::Relaxed);
}

/// Sets the language for this thread only (the UI thread, or one test).
pub fn set_thread_lang(lang: Lang) {
    THREAD_LANG.with(|l| l.set(Some(lang)));
}

/// The language messages are produced in on this thread.
#[must_use]
pub fn current_lang() -> Lang {
    THREAD_LANG
        .with(Cell::get)
        .unwrap_or_else(|| Lang::from_index(DEFAULT_LANG.load(Ordering::Relaxed)))
}

/// Arguments for a message: `$name` placeholders in the catalog.
pub type Args<'a> = FluentArgs<'a>;

struct Catalog {
    bundles: [FluentBundle<FluentResource>; 2],
}

/// The catalog files, compiled in so that the binary needs nothing beside it.
pub const CATALOG_SOURCES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../../assets/i18n/en.ftl")),
    (Lang::Ko, include_str!("../../assets/i18n/ko.ftl")),
];

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog {
    bundles: CATALOG_SOURCES.map(|(lang, source)| bundle(lang, source)),
});

fn bundle(lang: Lang, source: &str) -> FluentBundle<FluentResource> {
    let tag = match lang {
        Lang::En => "en-US",
        Lang::Ko => "ko-KR",
    };
    let langid: unic_langid::LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Isolation marks (U+2068/U+2069) around arguments would end up in labels and titles,
    // where they show as boxes in some fonts and break exact-label lookups.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(format_value));
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, errs)| {
        tracing::error!(
            lang = lang.tag(),
            ?errs,
            "message catalog has syntax errors"
        );
        partial
    });
    if let Err(errs) = bundle.add_resource(resource) {
        tracing::error!(
            lang = lang.tag(),
            ?errs,
            "message catalog has duplicate keys"
        );
    }
    bundle
}

/// Numbers in messages get thousands separators (`1,234 repositories`); both languages
/// group digits the same way.
fn format_value<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            Some(group_thousands(n.value as i64))
        }
        _ => None,
    }
}

/// `1234567` → `1,234,567`.
#[must_use]
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The message for `key` in the current language, falling back to English, then to the key
/// itself (so a missing message is visible, not blank).
#[must_use]
pub fn t(key: &str) -> String {
    t_args(key, None)
}

/// The message for `key` with arguments.
#[must_use]
pub fn t_args(key: &str, args: Option<&Args<'_>>) -> String {
    t_in(current_lang(), key, args)
}

/// The message for `key` in a given language.
#[must_use]
pub fn t_in(lang: Lang, key: &str, args: Option<&Args<'_>>) -> String {
    let catalog = &*CATALOG;
    for bundle in [
        &catalog.bundles[usize::from(lang.index())],
        &catalog.bundles[0],
    ] {
        if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args, &mut errors);
            if !errors.is_empty() {
                tracing::warn!(key, ?errors, "message formatting problem");
            }
            return text.into_owned();
        }
    }
    tracing::warn!(key, "missing message");
    key.to_owned()
}

/// Whether a catalog defines `key` (for tests and the completeness check).
#[must_use]
pub fn has_message(lang: Lang, key: &str) -> bool {
    CATALOG.bundles[usize::from(lang.index())].has_message(key)
}

/// `tr!("key")` or `tr!("key", name = value, count = n)`: a message in the current language.
#[macro_export]
macro_rules! tr {
    ($key:expr) => {
        $crate::i18n::t($key)
    };
    ($key:expr, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::Args::new();
        $( args.set(stringify!($name), $value); )+
        $crate::i18n::t_args($key, Some(&args))
    }};
}

#[cfg(test)]
mod tests;

/// `msg!("key")`: names a message key that is looked up later (a tab's title, a column
/// header). It is the key itself; writing it this way lets the catalog check find it.
#[macro_export]
macro_rules! msg {
    ($key:literal) => {
        $key
    };
}
