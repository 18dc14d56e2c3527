//! The window around the views: the layout with its top bar, breadcrumb and status bar, the
//! sources sidebar, navigation (where the window is, Back, Refresh, the keys), the settings
//! window, and what the window loads or keeps between runs (theme, fonts, settings and marks,
//! stored logins).

pub mod breadcrumb;
pub mod credential_writes;
pub mod fonts;
pub mod layout;
pub mod location;
pub mod nav;
pub mod persist;
pub mod settings_keys;
pub mod settings_window;
pub mod sidebar;
pub mod theme;
pub mod top_bar;
