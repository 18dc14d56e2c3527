//! A status-bar line that is worded each time it is drawn, so that it follows the window's
//! language when the user switches it after the notice came (a sentence made once would stay
//! in the language of the moment it was made).

use std::rc::Rc;

/// The words of one notice: a function of the current language, called at draw time.
#[derive(Clone)]
pub struct Notice(Rc<dyn Fn() -> String>);

impl Notice {
    /// A notice worded by `words` (which calls `tr!`) whenever it is shown.
    pub fn new(words: impl Fn() -> String + 'static) -> Self {
        Self(Rc::new(words))
    }

    /// The notice in the window's language now.
    #[must_use]
    pub fn text(&self) -> String {
        (self.0)()
    }
}

impl std::fmt::Debug for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Notice").field(&self.text()).finish()
    }
}
