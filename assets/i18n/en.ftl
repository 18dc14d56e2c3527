# Berth's messages in English. Keys are grouped by the view that shows them.
# Placeholders: $name. Numbers get thousands separators automatically.

## Actions used in many places
action-copy = Copy
action-copy-tooltip = Copy { $value }
action-copy-name = Copy name
action-retry = Retry
action-log-in = Log in
action-edit-registry = Edit registry…
action-refresh = ⟳ Refresh
action-refresh-tooltip = Load this view again (Ctrl+R)
action-back = ← Back
action-back-tooltip = Go back (Backspace or Alt+Left)
action-dismiss = Dismiss
nav-go-to = Go to { $place }

## Sources sidebar
sources-title = Sources
sources-add = + Add
sources-add-tooltip = Add a registry…
sources-edit = Edit…
sources-log-out = Log out
sources-empty = No registries yet. Add one to start browsing.
state-not-connected = not connected
state-connecting = connecting…
state-ok = connected
state-needs-login = needs login
state-unreachable = unreachable
state-failed = error
badge-plain-http = plain HTTP
badge-insecure = TLS not verified

## Repositories
repos-title = Repositories
repos-tree = Tree
repos-tree-tooltip = Group repositories by path
repos-count = { $count ->
    [one] { $count } repository
   *[other] { $count } repositories
}
repos-count-filtered = { $shown } of { $count } repositories
repos-count-loading = { $counted }, loading…
repos-filter-hint = Filter repositories (Ctrl+F)
repos-loading = Loading repositories…
repos-none = This registry has no repositories yet.
repos-no-match = No repository matches the filter.
repos-connecting = Connecting to { $registry }…
repos-unsupported = This registry does not list its repositories. Open one by name below, for example library/alpine.
repos-open-hint = Open repository…
repos-open = Open
repos-pinned = PINNED
repos-recent = RECENT
repos-pinned-item = { $repo }, pinned
repos-recent-item = { $repo }, recent
repos-pin = Pin
repos-unpin = Unpin

## Tags
tags-title = Tags
tags-filter-hint = Filter tags (Ctrl+F)
tags-count = { $count ->
    [one] { $count } tag
   *[other] { $count } tags
}
tags-count-filtered = { $shown } of { $count } tags
tags-loading = Loading tags…
tags-none-title = No tags
tags-none-body = This repository has no tags. Untagged manifests can still exist.
tags-col-tag = Tag
tags-col-digest = Digest
tags-col-kind = Kind
tags-col-size = Size
tags-col-created = Created
tags-sort-tooltip = Sort by this column; click again to reverse
tags-size-host = Size of { $platform }, this computer's platform: manifest, config and layers, as a pull moves them
tags-size-total = { $count ->
    [one] Total of its { $count } platform: manifests, configs and layers
   *[other] Total of its { $count } platforms: manifests, configs and layers
}
tags-created-platform = { $date } ({ $platform })
tags-shared-tooltip = Same digest as: { $tags }
tags-shared-more = { $count ->
    [one] {" "}and 1 more
   *[other] {" "}and { $count } more
}
tags-shared-partial = { $count ->
    [one] Still looking: 1 tag is not looked up yet, so there may be more. Right-click for "Find every tag with this digest".
   *[other] Still looking: { $count } tags are not looked up yet, so there may be more. Right-click for "Find every tag with this digest".
}
tags-find-every = Find every tag with this digest
tag-lookup-progress = Tag digests known: { $known } of { $total }
tag-copy-pull = Copy pull command
tag-copy-pull-by-tag = By tag
tag-copy-pull-by-digest = By digest
kind-image = image
kind-index = index
kind-index-artifacts = { $count ->
    [one] index of { $count } artifact
   *[other] index of { $count } artifacts
}
kind-index-platforms = { $count ->
    [one] index, { $count } platform
   *[other] index, { $count } platforms
}
kind-artifact = artifact
kind-artifact-type = artifact ({ $artifact_type })
size-exact = { $bytes } bytes
size-def-pull = Compressed size on the registry: the manifest, the config and every layer, which is what a pull downloads (for one platform).
size-def-layers = Compressed size of the layer blobs on the registry (without the manifest and the config).
size-def-layer = Compressed size of this layer's blob on the registry.
size-def-files = Uncompressed bytes of the files, as they take room once unpacked.

## Dates
age-now = just now
age-minutes = { $count ->
    [one] { $count } minute ago
   *[other] { $count } minutes ago
}
age-hours = { $count ->
    [one] { $count } hour ago
   *[other] { $count } hours ago
}
age-days = { $count ->
    [one] { $count } day ago
   *[other] { $count } days ago
}
age-months = { $count ->
    [one] { $count } month ago
   *[other] { $count } months ago
}
age-years = { $count ->
    [one] { $count } year ago
   *[other] { $count } years ago
}

## Image view
image-loading = Loading the image…
image-no-platform-title = No image for { $platform }
image-no-platform-body = This index has no image for that platform. Pick one of the platforms above.
tab-overview = Overview
tab-config = Config
tab-history = History
tab-layers = Layers
tab-raw = Raw
overview-reference = Reference
overview-digest = Digest
overview-image-digest = Image digest
overview-media-type = Media type
overview-platform = Platform
overview-total-size = Total size
overview-layers = Layers
overview-created = Created
overview-author = Author
overview-artifact-type = Artifact type
overview-subject = Subject
overview-open-subject = Open subject
overview-open-subject-hint = Open the image this artifact refers to
overview-platforms = Platforms
overview-platforms-hint = This reference is an index. Choose the platform the other tabs describe.
overview-platforms-col-platform = Platform
overview-platforms-col-size = Pull size
overview-platforms-col-manifest = Manifest
overview-annotations = Annotations
config-runtime = Runtime
config-entrypoint = Entrypoint
config-cmd = Command
config-workdir = Working directory
config-user = User
config-ports = Exposed ports
config-volumes = Volumes
config-stop-signal = Stop signal
config-env = Environment
config-labels = Labels
config-empty = None
config-none-title = Not an image config
config-none-body = This artifact's config has the media type { $media_type }.
history-col-step = Step
history-col-size = Layer
history-col-created = Created
history-col-command = Command
history-empty-layer = no layer
history-empty-layer-tooltip = This step changed only metadata and made no layer.
history-none-title = No history
history-none-body = The image config records no build steps.
layers-summary = { $count ->
    [one] { $count } layer, { $size } compressed
   *[other] { $count } layers, { $size } compressed
}
layers-col-index = #
layers-col-digest = Digest
layers-col-type = Type
layers-col-size = Size
layers-col-share = Share of total
layers-none-title = No layers
layers-none-body = This manifest lists no layers.
referrers-loading = Looking for referrers…
referrers-none-body = No signatures, SBOMs or attestations refer to this image.
referrers-untyped = (no artifact type)
referrers-no-api = This registry has no referrers API, and no fallback tag lists referrers of this image. Artifacts that refer to it may still be in the repository.
referrers-by-fallback-tag = This registry has no referrers API; these come from the fallback tag, which lists only what the pushing tool recorded there.
referrers-search = Look through this repository's artifacts
referrers-search-again = Look again
referrers-search-hint = Reads the manifest of each tag (at most { $limit }) and lists those whose subject is this image.
referrers-searching = Looking through the tags…
referrers-search-summary = Looked through { $looked } tags: { $found } refer to this image.
referrers-search-summary-truncated = Looked through the first { $looked } of { $total } tags: { $found } refer to this image.
referrers-open = Open artifact
raw-manifest = Manifest
raw-index = Index
raw-config = Config
raw-copy-json = Copy JSON

## Registry dialog and login
dialog-add-title = Add a registry
dialog-edit-title = Edit registry
dialog-name = Name
dialog-name-hint = Shown in the sidebar
dialog-url = URL
dialog-plain-http = Use plain HTTP
dialog-plain-http-from-url = The address says http:// or https://, which decides this.
dialog-insecure = Skip TLS verification
dialog-insecure-warning = Traffic to this registry, including passwords, can be read or changed by others on the network.
dialog-ca-file = CA file
dialog-ca-file-hint = /path/to/ca.pem
dialog-ca-pick-title = Choose a CA certificate
dialog-browse = Browse…
dialog-no-file-chooser = No file chooser is available on this desktop: type the path instead.
dialog-credentials-note = Leave empty to use the credentials Docker or Podman already store.
dialog-username = Username
dialog-password = Password
dialog-test = Test connection
dialog-testing = Testing…
dialog-test-ok = Connected: the registry answered and accepted the credentials.
dialog-test-ok-anonymous = Connected: the registry answered, and anonymous access works.
dialog-save = Save
dialog-cancel = Cancel
dialog-remove = Remove
dialog-invalid-url = "{ $url }" is not a registry address. Use host:port, or http://host:port for plain HTTP.
dialog-duplicate = The address { $url } is already saved as "{ $name }". Saving would replace it; edit that entry instead.
dialog-edit-existing = Edit { $name }
login-title = Log in to { $registry }
login-body = The credentials are saved where Docker or Podman keep theirs, never in Berth's settings.
login-refused = The registry refused these credentials. Check the username and password.

## Top bar, status bar, empty states
theme-label = Theme
theme-system = System
theme-light = Light
theme-dark = Dark
theme-tooltip = Light, dark, or follow the system
language-tooltip = Interface language
status-rate-limit = Pulls left: { $remaining } of { $limit }
fonts-missing = No font for Korean, Chinese or Japanese text is installed; such text shows as boxes. Install fonts-noto-cjk or fonts-nanum.
notice-save-failed = Could not save: { $reason }
notice-bad-registry-url = Ignored --registry { $url }: not a registry address.
notice-credentials-not-saved = Logged in to { $registry }, but the login could not be saved, so Berth will ask for it again next time. { $reason } Once that is fixed, log in again.
notice-credentials-not-removed = Logged out of { $registry } in this window, but the saved login could not be removed, so it will be used again next time. { $reason } Once that is fixed, log out again.
welcome-title = Choose a source
welcome-body = Pick a registry on the left to see its repositories.
welcome-empty-title = No sources yet
welcome-empty-body = Add a registry to browse its repositories and images.
choose-repo-title = Choose a repository
choose-repo-body = Its tags appear here. Use the filter to find one quickly, or the arrow keys and Enter.

## Hints under errors
hint-rate-limited = Wait a while, or log in: logged-in users get a higher limit.
hint-rate-limited-remaining = Requests left in this window: { $remaining }.
hint-delete-disabled = Enable deleting in the registry's configuration (storage.delete.enabled: true), then restart it.
hint-tls = Trust the registry's CA file in its settings, or, for a test registry only, skip TLS verification.
hint-unreachable = Check the address and your network, then try again.
hint-plain-http-answer = Tick "Use plain HTTP" for this registry (Edit registry), or write its address as http://HOST.
error-details = Details

## Errors (one per kind of registry error)
error-invalid-reference = Not a valid image reference: { $input }
error-unreachable = Cannot reach { $registry }: { $reason }
error-tls = The secure connection to { $registry } failed: { $reason }
error-untrusted-certificate = { $registry } presented a certificate that is not trusted: { $reason }
error-plain-http-answer = { $registry } answered in plain HTTP, not over a secure (TLS) connection.
error-unreachable-brief = Cannot reach { $registry }.
error-tls-brief = The secure connection to { $registry } failed.
error-untrusted-certificate-brief = { $registry } presented a certificate that is not trusted.
error-unauthorized = { $registry } refused the credentials, or needs you to log in.
error-denied = { $registry } denied access to { $what }.
error-not-found = Not found: { $what }
error-catalog-unsupported = { $registry } does not list its repositories. Open a repository by name.
error-delete-disabled = { $registry } has deleting turned off.
error-delete-by-digest-only = { $registry } deletes images only by digest, which removes every tag that points at it.
error-plan-changed = { $change ->
    [added] { $reference } now points at { $digest }, which the delete would remove, and the confirmation did not name it. Nothing was deleted; plan the delete again.
   *[moved] { $reference } now points at { $digest }, not at the image the confirmation named. Nothing was deleted; plan the delete again.
}
error-rate-limited = { $registry } is limiting requests{ $retry ->
    [-1] .
   *[other] ; try again in { $retry } seconds.
}
error-http-status = { $registry } answered HTTP { $status } for { $what }.
error-digest-mismatch = { $what } did not match its digest: expected { $expected }, got { $actual }.
error-size-mismatch = { $what } had the wrong size: expected { $expected } bytes, got { $actual }.
error-too-large = { $what } is larger than the { $limit } limit.
error-invalid-content = { $what } is not valid: { $reason }
error-platform-not-found = No image for the platform { $wanted }. { $count ->
    [0] The index lists no image for any platform
   *[other] Available: { $available }
}{ $nestedcount ->
    [0] .
   *[other] ; it lists nested indexes ({ $nested }), which Berth does not open for one platform.
}
error-token-failed = Getting a token from { $realm } failed: { $reason }
error-credentials = Cannot read the stored credentials: { $reason }
error-protocol = { $registry } answered in a way Berth does not understand: { $reason }
error-cancelled = Cancelled.
error-stalled = The registry stopped sending data: { $registry } sent too little for too long while Berth read { $what }.
error-invalid-link = { $registry } sent a next-page link that is not a valid URL: { $link }
error-no-ca-certificates = No CA certificates were found on this computer, so the certificate of { $registry } cannot be checked.
error-index-too-deep = { $what } nests indexes more than { $limit } levels deep; Berth does not follow them further.
error-foreign-link = { $registry } sent a next-page link to another server ({ $target }); Berth follows pages only on the registry itself.
error-endless-listing = { $registry } keeps paging { $what } (a page came back, or more than { $pages } pages); Berth stopped.

## CLI: what to do next after an error, on the command line
cli-hint-untrusted-certificate = Trust its CA with --ca FILE (or a CA file saved for the registry), or skip verification with --insecure.
cli-hint-tls = If the registry speaks plain HTTP, use http://HOST or --plain-http.
cli-hint-plain-http-answer = Use http://HOST or --plain-http.
cli-hint-unauthorized = Log in with `berth login HOST`, or pass --user and --password-stdin.
cli-hint-delete-disabled = Enable deleting in the registry's config (storage.delete.enabled: true) and restart it.
cli-hint-platform-not-found = Pick one with --platform.
cli-hint-rate-limited = Log in to get a higher limit, or wait and try again.
cli-hint-unreachable = Check the address and the network, then try again.
cli-hint-no-ca-certificates = Install the system's CA bundle (the ca-certificates package), point SSL_CERT_FILE at one, or trust the registry's CA with --ca FILE.
## CLI output
cli-rm-tags-going = Tags that will be deleted with it ({ $count }):
cli-rm-no-tags = (no tags point at it)
cli-rm-confirm = Delete? [y/N]
cli-rm-not-deleted = Not deleted.
cli-rm-needs-yes = Refusing to delete without confirmation: pass --yes (or --dry-run to only list).
cli-rm-deleted = Deleted. The registry frees the space only after its garbage collection runs.
cli-rm-sweeping = Checking which tags share the digest
cli-rm-tag-not-given = { $tag }   (not given: shares the digest)
cli-rm-partly = Deleted before the failure: { $deleted }
cli-prune-plan = { $store }: prune removes what nothing needs and frees { $freed }.
cli-prune-nothing = { $store }: nothing to prune.
cli-prune-temp-file = a leftover temporary file
cli-prune-confirm = Prune? [y/N]
cli-login-succeeded = Login succeeded for { $user } at { $registry }; saved to { $place }.
cli-logout-removed = Removed the credentials for { $registry } from { $place }.
cli-logout-none = Not logged in to { $registry }.
cli-warning-from = Warning from { $registry }: { $text }
cli-rate-limit = { $registry } rate limit: { $remaining } of { $limit } pulls remaining.
cli-inspect-reference = Reference
cli-inspect-digest = Digest
cli-inspect-media-type = Media type
cli-inspect-size = Size
cli-inspect-annotation = Annotation
cli-inspect-platforms = Platforms ({ $count }):
cli-inspect-shown-below = (shown below)
cli-inspect-no-host-platform = No image for this machine's platform ({ $platform }). Use --platform with one of the platforms above.
cli-inspect-referrers = Referrers ({ $count }):
cli-inspect-referrers-failed = Referrers could not be listed: { $reason }
cli-inspect-image = Image
cli-inspect-platform = Platform
cli-inspect-artifact = Artifact
cli-inspect-config-blob = Config
cli-inspect-total-size = Total size
cli-inspect-created = Created
cli-inspect-config = Config:
cli-inspect-history = History ({ $count }):
cli-inspect-empty-layer = (empty layer)
cli-files-no-layer = { $reference } has no layer { $n }: its { $count } layers are numbered 1 to { $count }.
cli-inspect-layers = Layers ({ $count }):

## Layer explorer: the Files tab and the Compare window (layer explorer GUI)
tab-files = Files
files-layers-title = Layers
files-layer-row = Layer { $n }
files-layer-waiting = waiting
files-layer-cached = cached
files-layer-read = read
files-layer-damaged = damaged
files-layer-entries = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}
files-no-command = (no build step recorded)
files-efficiency = Efficiency
files-efficiency-tooltip = The share of the file bytes in the layers that reach the final filesystem. Bytes of files that a later layer overwrote or removed are wasted.
files-wasted-summary = { $wasted } wasted of { $total } in files
files-wasted-none = Nothing wasted: no later layer overwrites or removes a file.
files-wasted-row-tooltip = { $bytes } bytes lost in layer { $layers }. Click to show this path in the tree.
files-mode-merged = Merged up to layer { $n }
files-mode-merged-tooltip = The filesystem after layers 1 to { $n }; what layer { $n } changed is coloured.
files-mode-layer = Layer { $n } only
files-mode-layer-tooltip = Only what layer { $n } added, modified or removed.
files-filter = Filter paths
files-filter-hint = *.so, etc/, text…
files-filter-clear = Clear the filter (Esc)
files-filter-invalid = Not a valid glob: { $reason }
files-sort = Sort by
files-sort-name = Name
files-sort-size = Size
files-expand-all = Expand all
files-collapse-all = Collapse all
files-legend-added = Added
files-legend-modified = Modified
files-legend-removed = Removed
files-col-name = Name
files-col-mode = Mode
files-col-size = Size
files-col-layer = Layer
files-loading = Reading { $count ->
    [one] { $count } layer
   *[other] { $count } layers
}: { $read } of { $total }
files-building = Building the tree…
files-damaged = { $count ->
    [one] One layer is damaged
   *[other] { $count } layers are damaged
}: the tree shows what was read before the damage.
files-failed = Reading the layers stopped: { $reason }
files-view-empty = This layer changes no files.
files-no-match = Nothing here matches "{ $filter }".
files-kind-file = file
files-kind-dir = directory
files-kind-symlink = symbolic link
files-kind-hardlink = hard link
files-kind-device = device
files-kind-fifo = FIFO
files-changed-by = { $change ->
    [added] Added
    [removed] Removed
   *[modified] Modified
} by layer { $n }: { $command }
layer-error-corrupt = Damaged at byte { $offset } of the blob (tar offset { $tar_offset }): { $reason }
layer-error-truncated = Cut short: the blob ends at byte { $offset } (tar offset { $tar_offset }).
layer-error-verify = Failed verification at byte { $offset }: { $reason }
layer-error-not-tar = Not a tar layer ({ $media_type }); its files cannot be listed.
layer-error-read = Cannot read the blob: { $reason }
layer-error-in = Layer { $digest }: { $reason }
layer-error-too-many-names = A layer's file names take more than { $limit }.
layer-error-layout = OCI layout { $dir }: { $reason }
layer-error-layout-tag-not-found = OCI layout { $dir } has no image tagged "{ $tag }" (tags: { $available }).
layer-error-cache = Layer cache { $path }: { $reason }
layer-error-no-cache-dir = No cache directory: the system reports no home directory.
layer-error-worker = The layer reader stopped unexpectedly: { $reason }
layer-error-not-a-file = { $path } is not a regular file but { $file_type ->
        [fifo] a named pipe
        [char_device] a character device
        [block_device] a block device
        [socket] a socket
        [directory] a directory
       *[other] something else
    }; Berth reads nothing from it.
layer-error-name-too-long = The entry at tar offset { $tar_offset } has a name longer than { $limit } bytes (the longest path Linux allows); the listing stops there.
layer-error-header-too-large = The entry at tar offset { $tar_offset } has long-name or PAX headers larger than { $limit }; the listing stops there.
layer-error-window-too-large = This zstd layer needs a decoding window larger than { $limit } (it was made with zstd --long above 27); Berth does not decode it, to keep memory bounded.
compare-open = Compare…
compare-engine-image = { $reference } is in an engine: its layers cannot be read without exporting it first. Read it from a registry, Berth's store (berth:) or an OCI layout (oci:DIR:TAG).
compare-title = Compare images
compare-image-a = Image A
compare-image-b = Image B
compare-reference-hint = repository:tag, repository@digest, berth:NAME or oci:DIR:TAG
compare-tags-a = Tags of A
compare-tags-b = Tags of B
compare-run = Compare
compare-swap = Swap
compare-swap-tooltip = Exchange images A and B
compare-reading = Reading layers: { $read } of { $total }
compare-empty-title = Pick two images
compare-empty-body = Choose a registry and a tag for each side (or write berth:NAME or oci:DIR:TAG for a local image), then press Compare. Layers both images share are read once.
compare-bad-reference = "{ $reference }" names no image. Write repository:tag.
compare-not-connected = { $registry } is not connected yet.
compare-no-image = { $reference } has no image for this computer's platform.
compare-copy-summary = Copy summary
compare-copy-summary-tooltip = Put the differences on the clipboard as text
compare-damaged = { $image }, layer { $n }: { $reason }
compare-config = Config: { $count ->
    [one] { $count } difference
   *[other] { $count } differences
}
compare-config-same = The configs are the same.
compare-col-field = Field
compare-col-a = A
compare-col-b = B
compare-absent = (absent)
compare-layers = Layers: { $shared } shared ({ $shared_size }), { $only_a } only in A ({ $only_a_size }), { $only_b } only in B ({ $only_b_size })
compare-layer-shared = layer { $a } in A, { $b } in B
compare-layer-only-a = layer { $n }, only in A
compare-layer-only-b = layer { $n }, only in B
compare-files = Files: { $added } added ({ $added_size }), { $removed } removed ({ $removed_size }), { $changed } changed
compare-files-same = The filesystems are the same.
compare-changed-means = Changed: in both images, but with other content (the SHA-256 of the file's bytes), type, mode, owner or link target. A new modification time alone is not a change.
compare-content = content { $a } → { $b }
compare-filter = Filter paths
compare-filter-hint = text in the path
compare-more = … and { $count } more
files-view-count = { $files ->
    [one] { $files } file
   *[other] { $files } files
}, { $size }
files-artifact-title = Not a container image
files-artifact-body = This artifact's layers are not filesystem layers, so there are no files to show.

## Settings window, font directories, locale formatting (issue 8)
settings-open = Settings
settings-open-tooltip = Language, theme, fonts and the layer cache
top-more = More
top-more-tooltip = Compare, theme, language and settings
settings-title = Settings
settings-language = Language
settings-fonts = Font for Korean, Chinese and Japanese text
settings-font-loading = Looking for a font…
settings-font-ready = In use: { $family }
settings-font-missing = No font with Hangul, Han or Kana was found. Install fonts-noto-cjk or fonts-nanum, or choose a font file.
settings-font-off = Font search is off for this run.
settings-font-file = Font file
settings-font-dirs = Font directories
settings-font-dirs-hint = One per line; empty uses the system's fonts
settings-fonts-apply = Use these fonts
settings-fonts-note = BERTH_FONT_DIRS wins when set. A font already in use changes at the next start.
settings-cache = Layer cache
settings-cache-none = No layer cache in this run.
settings-cache-size = { $size } on disk
settings-cache-clear = Clear layer cache
settings-cache-cleared = { $count ->
    [one] Freed { $size } (1 file)
   *[other] Freed { $size } ({ $count } files)
}
settings-cache-failed = Cannot clear the layer cache: { $reason }
settings-close = Close

## Local stores in the sidebar, their images, and deleting one (issue 5)
local-title = LOCAL
local-berth = Local (Berth)
local-not-found = not found
local-usage = { $count ->
    [one] { $count } image
   *[other] { $count } images
}, { $size }
local-usage-tooltip = { $bytes } bytes on disk; { $reclaimable } can be pruned
local-size-bytes = { $bytes } bytes
local-images-count = { $count ->
    [one] { $count } image
   *[other] { $count } images
}
local-images-loading = Reading the store…
local-empty-title = No images here yet
local-empty-body = Images pulled or copied into this store appear here.
local-choose-title = Choose an image
local-choose-body = Its overview, config, history, layers and files open here.
local-incomplete = incomplete
local-delete = Delete…
local-delete-tooltip = Delete the selected image from this store (asks first)
local-delete-title = Delete { $reference }?
local-delete-planning = Working out what goes…
local-delete-store = From { $store }:
local-delete-removes-ref = Removes the name { $reference }
local-delete-removes-image = Removes the image { $digest } and the blobs nothing else uses (frees { $freed })
local-delete-keeps-image = The image { $digest } stays under its other names
local-delete-keeps-ref = Keeps { $reference }
local-delete-container = Used by container { $container }
local-delete-needs-force = The engine refuses this delete without force. Deleting forces it.
local-delete-confirm = Delete
local-delete-force = Force delete
local-delete-cancel = Cancel
local-copy = Copy to…
local-copy-tooltip = Copy this image to a registry or another local store, in the background
local-export = Export…
local-export-tooltip = Save this image to a tar file that docker load or podman load reads, in the background
local-import = Import…
local-import-tooltip = Load a docker-archive or oci-archive tar into this store, in the background
local-import-title = Import into { $store }
local-import-file = Archive file
local-import-pick-title = Import from
local-import-name = Name
local-import-name-hint = the name in the archive
local-import-formats = A docker-archive (what docker save writes) or an oci-archive tar.
local-import-confirm = Import
local-import-cancel = Cancel
local-engine-missing = no socket answered
store-error-not-found = { $reference } is not in { $store }.
store-error-ambiguous = { $reference } matches several images in { $store }: { $candidates }
store-error-invalid-reference = { $reference } is not a valid name here: { $reason }
store-error-not-a-layout = { $dir } is not an OCI image layout: { $reason }
store-error-invalid = { $dir } holds an invalid { $what }: { $reason }
store-error-io = Cannot { $action } { $path }: { $reason }
store-error-not-a-file = { $path } is not a regular file but { $file_type ->
        [fifo] a named pipe
        [char_device] a character device
        [block_device] a block device
        [socket] a socket
        [directory] a directory
       *[other] something else
    }; Berth reads nothing from it.
store-error-missing-blob = Blob { $digest } is missing from { $dir }.
store-error-verify = Blob { $digest } failed verification: { $reason }
store-error-too-large = Blob { $digest } is larger than Berth reads into memory.
store-error-engine-not-found = No { $engine } engine found. Looked at: { $tried }
store-error-engine = { $engine } at { $socket }: { $reason }
store-error-engine-conflict = { $engine } refused to delete { $reference }: { $reason }
store-error-plan-changed = { $reference } in { $store } changed since the delete was planned. Nothing was deleted; plan the delete again.
store-error-prune-changed = { $blob } in { $store } is in use since the prune was planned. Nothing was removed; plan the prune again.
store-error-no-data-dir = No data directory for Berth's store (is HOME set?).
store-error-cross-store = { $source_store } and { $target_store } are different stores; tag works within one store.
store-error-task = A background task failed: { $reason }
jobs-error-reference = Invalid reference: { $reason }
jobs-error-credentials = Cannot read credentials for { $registry }: { $reason }
jobs-error-engine = { $engine }: { $reason }
jobs-error-engine-missing-image = { $engine } reported success, but { $reference } is not in it.
jobs-error-archive = { $path } is not a docker-archive or oci-archive: { $reason }
jobs-error-archive-ambiguous = { $path } holds { $count } images; name the one to load with --to STORE:NAME.
jobs-error-unsupported = Cannot copy from { $source_kind } to { $target_kind }.
jobs-error-needs-one-platform = A docker-archive holds one platform; choose one with --platform.
jobs-error-panicked = The job failed unexpectedly: { $reason }
credentials-error-read = Cannot read { $path }: { $reason }.
credentials-error-write = Cannot write { $path }: { $reason }.
credentials-error-helper = The credential helper docker-credential-{ $helper } failed: { $reason }.
credentials-error-no-store = There is no place to store credentials (set HOME or REGISTRY_AUTH_FILE).
local-files-engine-title = Files are not shown for engine images
local-files-engine-body = The engine keeps the layers to itself. Copy the image into Berth's store to browse its files.
local-files-engine-copy = Copy to Berth's store

## Jobs panel and tag actions
jobs-toggle = Jobs ({ $count })
jobs-toggle-tooltip = Show or hide the background jobs: pulls and deletes with their progress
jobs-title = Jobs
jobs-none = No jobs yet. Pull a tag to see it here.
jobs-clear = Clear finished
jobs-kind-pull = Pull { $source } → { $dest }
jobs-kind-push = Push { $source } → { $dest }
jobs-kind-copy = Copy { $source } → { $dest }
jobs-kind-save = Save { $source } → { $dest }
jobs-kind-load = Load { $source } → { $dest }
jobs-kind-delete = Delete { $source }
jobs-bytes = { $done } of { $total }
jobs-items = { $done } of { $total } items
jobs-items-toggle = Blobs ({ $count })
jobs-speed = { $speed }/s
jobs-eta = { $seconds } s left
jobs-cancel = Cancel
jobs-retry = Retry
jobs-succeeded = Done
jobs-cancelled = Cancelled
jobs-toast-done = Finished: { $job }
jobs-toast-cancelled = Cancelled: { $job }
jobs-toast-failed = Failed: { $job }: { $reason }
tag-pull = Pull to Berth store
tag-pull-tooltip = Copy this tag's image for this computer into Berth's own store, in the background
tag-delete-open = Delete tag…
tag-delete-open-tooltip = Delete this tag from the registry (asks first, and names every tag that goes with it)
tag-delete-title = Delete { $reference } from { $registry }?
tag-delete-planning = Checking which tags share this image… { $done } of { $total }
tag-delete-digest = Manifest { $digest }
tag-delete-explain = A registry deletes by digest, so { $count ->
    [one] this tag goes:
   *[other] all { $count } tags that point at it go:
}
tag-delete-removes = Removes tag { $tag }
tag-delete-confirm = Delete
tag-delete-cancel = Cancel
tag-delete-close = Close
tag-delete-done-gc = Deleted. The space comes back only after the registry's garbage collection runs.

## Tag actions: Copy to… and Export…
tag-copy-open = Copy to…
tag-copy-open-tooltip = Copy this tag's image to another registry, repository or local store, in the background
tag-copy-title = Copy { $reference }
tag-copy-dest = Destination
tag-copy-dest-hint = registry.example.com/team/app:v1
tag-copy-grammar = HOST/REPO:TAG, berth:NAME, oci:DIR:TAG, docker:NAME or podman:NAME
tag-copy-suggest = To:
tag-copy-to-berth = Berth store
tag-copy-invalid = Not a reference: { $reason }
tag-copy-confirm = Copy image
tag-copy-cancel = Cancel
tag-export-open = Export…
tag-export-open-tooltip = Save this tag's image to a tar file that docker load or podman load reads, in the background
tag-export-title = Export { $reference }
tag-export-file = File
tag-export-pick-title = Export to
tag-export-format = Format
tag-export-format-docker = Docker archive (docker load)
tag-export-format-oci = OCI archive
tag-export-platform-note = The image for this computer's platform is saved.
tag-export-confirm = Export
tag-export-cancel = Cancel

## Tags table: several tags at once
tags-marked = { $count ->
    [one] 1 tag selected
   *[other] { $count } tags selected
}
tags-delete-marked = { $count ->
    [one] Delete 1 tag…
   *[other] Delete { $count } tags…
}
tags-unmark = Clear selection
tags-mark-hint = Ctrl+click marks tags, Shift+click a range
tags-delete-many-title = { $count ->
    [one] Delete 1 tag?
   *[other] Delete { $count } tags?
}
tags-delete-many-planning = Working out which tags go with the selected ones… { $done } of { $total }
tags-delete-many-explain = A registry deletes by digest: every tag that points at the same image as a selected tag goes too. These tags go:
tags-delete-many-others = { $count ->
    [one] 1 tag you did not select goes too, because it points at the same image as a selected tag.
   *[other] { $count } tags you did not select go too, because they point at the same image as a selected tag.
}
tags-delete-many-not-selected = { $reference } (not selected; shares the image)
tags-delete-many-confirm = { $count ->
    [one] Delete 1 tag
   *[other] Delete { $count } tags
}
jobs-delete-item-ok = Deleted { $reference }
jobs-delete-item-removed = Tags gone: { $tags }
jobs-delete-item-failed = Not deleted { $reference }: { $reason }

## issue 20: signatures
sig-state-verified = verified
sig-state-invalid = invalid
sig-state-unverified = unverified
sig-kind-cosign = cosign
sig-kind-notation = notation
sig-kind-sigstore-bundle = Sigstore bundle
sig-reason-key-checked = checked with the key { $key }
sig-reason-digest-differs = the payload names another image: { $claimed }
sig-reason-signature-fails = does not check with the key given of its kind: the payload was changed, or another key signed it
sig-reason-certificate-key-fails = does not check with the key of its own certificate
sig-reason-not-base64 = the signature is not base64
sig-reason-payload-not-json = the payload is not a simple-signing JSON document
sig-reason-no-key = no key given; it claims { $claimed }
sig-reason-no-key-matches = no key given is of its kind; it claims { $claimed }
sig-reason-keyless-not-checked = keyless: signed as { $identity } (OIDC issuer { $issuer }); the transparency log and the certificate chain are not checked
sig-reason-certificate-unreadable = its certificate does not parse
sig-reason-notation-not-checked = notation signatures are not checked; signer { $subject }, issued by { $issuer }, valid { $from } to { $until }
sig-reason-notation-cose = notation signature in a COSE envelope; not checked
sig-reason-bundle-not-checked = Sigstore bundles are not checked
sig-reason-unreadable = could not be read
sig-unknown = unknown
sig-badge-verified = Signature verified by { $key }
sig-badge-invalid = Invalid signature
sig-badge-unverified = Signed, not verified
sig-badge-unsigned = Unsigned
sig-badge-checking = Checking signatures…
sig-badge-failed = Signatures could not be looked up: { $reason }
sig-list-title = Signatures
sig-list-none = No signatures found (looked at the .sig tag and the referrers).
sig-col-state = State
sig-col-kind = Kind
sig-col-who = Key or identity
sig-col-reason = Reason
sig-settings-keys = Signature keys (PEM public keys, one path per line)
sig-settings-keys-hint = Keys for every registry; a saved registry can add its own.
sig-settings-apply = Use these keys
sig-settings-registry-keys = Signature keys for { $registry }
cli-inspect-signatures = Signatures: { $summary }
cli-verify-line = { $state } { $kind }: { $reason }
cli-verify-ok = Verified by { $key }.
cli-verify-none-found = No signature found for { $reference } (looked at the .sig tag and the referrers).
cli-verify-invalid = Not verified: a signature is invalid: { $reason }
cli-verify-no-key = Not verified: no key given (use --key FILE or the settings).
cli-verify-no-match = Not verified: none of { $count } signatures checks with the keys given.
trust-error-key-read = Cannot read the key file { $path }: { $reason }
trust-error-key-not-pem = { $path } holds no PEM public key (-----BEGIN PUBLIC KEY-----).
trust-error-key-unsupported = The key in { $path } is { $algorithm }; Berth checks ECDSA P-256 and P-384, RSA and Ed25519 keys.
## issue 23: untag (remove one tag only)
error-tag-remained = { $reference } still points at { $digest } although the registry accepted removing the tag.
error-untag-disturbed = Removing { $reference } also changed { $count ->
    [one] another tag on the same image
   *[other] { $count } other tags on the same image
}: { $tags }. This registry deleted more than the tag, which the distribution spec does not allow. Check those tags and push them again if needed.
error-placeholder-left = { $reference } now points at Berth's placeholder { $placeholder }, which could not be deleted: { $reason }
untag-method = { $method ->
    [tag_delete] How: the registry removes the tag itself (DELETE of the tag).
   *[placeholder] How: this registry deletes only by digest, so Berth points the tag at a small placeholder for a moment and deletes that placeholder. This briefly writes to the registry.
}
untag-probing = Asking the registry how it removes a tag…
cli-untag-confirm = Remove these tags? [y/N]
cli-untag-digest = Image { $digest }
cli-untag-no-siblings = No other tag points at this image: removing the tag leaves the image untagged.
cli-untag-siblings = Stays on the same image ({ $count }): { $tags }
cli-untag-done = Removed { $reference }
cli-untag-failed = Not removed { $reference }: { $reason }
cli-untag-some-failed = { $count ->
    [one] 1 tag was not removed.
   *[other] { $count } tags were not removed.
}
tag-untag-confirm = Remove only this tag
tag-untag-stays = { $count ->
    [0] No other tag points at this image.
    [one] Stays: 1 other tag on this image
   *[other] Stays: { $count } other tags on this image
}
tag-delete-image = { $count ->
    [one] Delete the image (1 tag)
   *[other] Delete the image ({ $count } tags)
}
tags-untag-marked = { $count ->
    [one] Remove only the marked tag
   *[other] Remove only the marked tags
}
## issue 20: attestations, SBOMs, provenance (Trust tab, berth sbom)
trust-error-too-large = { $what } is larger than { $limit }, the most Berth reads of an SBOM or attestation.
trust-error-not-json = { $what } is not JSON: { $reason }
trust-error-not-sbom = { $what } is neither an SPDX nor a CycloneDX document.
trust-error-not-sbom-predicate = { $what } is not an SBOM: its predicate type is { $found }.
trust-error-bad-envelope = { $what }: the DSSE envelope's payload is not base64 ({ $reason }).
trust-error-no-sbom = No SBOM found. Looked in: { $looked }
cli-sbom-heading = { $format }, { $count ->
    [one] 1 package
   *[other] { $count } packages
} (name, version, type, licence, PURL):
cli-trust-attestations = Attestations ({ $count }):
cli-trust-sboms = SBOMs found: { $count }
cli-trust-provenance = Provenance:
cli-trust-problem = Could not read: { $reason }
trust-builder = Builder
trust-source = Source
trust-revision = Revision
trust-entry-point = Entry point
trust-build-arg = Build arg
tab-trust = Trust
trust-local-title = Trust is read from registries
trust-local-body = Local stores keep no attestations or SBOMs. Open the image in its registry to see them.
trust-reading = Looking for attestations and SBOMs…
trust-problem = Could not read: { $reason }
trust-attestations = Attestations ({ $count })
trust-attestations-none = No attestations found.
trust-found-buildkit = build
trust-found-cosign = cosign
trust-found-referrer = referrer
trust-provenance = Provenance (SLSA)
trust-sbom = SBOM
trust-sbom-none = No SBOM found for this image.
trust-sbom-which = SBOM
trust-sbom-number = SBOM { $number }
trust-sbom-reading = Reading the SBOM…
trust-sbom-filter = Filter packages
trust-sbom-count = { $count ->
    [one] 1 package
   *[other] { $count } packages
}
trust-sbom-count-filtered = { $shown } of { $count } packages
trust-sbom-save = Save SBOM…
trust-sbom-save-to = Save the SBOM to
trust-sbom-save-hint = /path/to/sbom.json
trust-sbom-save-now = Save
trust-sbom-saved = Saved to { $path }
trust-sbom-save-failed = Not saved: { $reason }
trust-sbom-col-name = Name
trust-sbom-col-version = Version
trust-sbom-col-type = Type
trust-sbom-col-license = Licence
trust-sbom-col-purl = PURL
## issue 23: sorting tags by date and size
tags-facts-progress = Dates and sizes for { $known } of { $total } tags
tags-facts-cancel = Cancel
## issue 23: clean up by rule (retain)
retain-field-match = Only tags matching
retain-field-exclude = Never touch tags matching
retain-error-invalid-glob = { $field }: “{ $pattern }” is not a valid pattern ({ $reason }).
retain-error-untagged-not-listable = { $registry } cannot list untagged manifests: the registry API lists tags only, so untagged manifests were left alone.
retain-reason-newest = one of the newest
retain-reason-not-matched = does not match the pattern
retain-reason-excluded = never touched (exclude pattern)
retain-reason-too-recent = not old enough
retain-reason-no-date = kept: no created date
retain-reason-no-semver = kept: not a semantic version
retain-estimate = Up to { $size } freed in this repository (blobs may be shared with other repositories); the registry frees them only when its garbage collection runs.
cli-retain-delete = Tags that will be deleted ({ $count }):
cli-retain-untagged = (untagged)
cli-retain-no-date = (no date)
cli-retain-going-along = { $tag } goes along: it shares { $digest }
cli-retain-protected = Protected: chosen by the rules, but a kept tag points at the same digest ({ $count }):
cli-retain-protected-by = { $tag }  { $digest }  protected by { $because }
cli-retain-keep = Tags that stay ({ $count }):
cli-retain-nothing = Nothing to delete.
cli-retain-confirm-all = --keep 0: every tag the rules consider goes ({ $count }). Delete them all? [y/N]
cli-retain-failed = { $failed } of { $count } deletes failed.
## issue 21: save and extract
jobs-kind-extract = Extract { $source } → { $dest }
extract-summary = { $dest }: { $files } files ({ $bytes }), { $skipped } skipped
extract-skipped-line = skipped { $path }: { $reason }
extract-error-not-found = { $path } is not in the image.
extract-error-removed = { $path } was removed by layer { $layer }.
extract-error-no-layer = The image has { $count } layers; there is no layer { $n }.
extract-error-not-a-directory = { $path } is not a directory.
extract-error-write = Cannot write { $path }: { $reason }
extract-error-hash = { $path } does not match the SHA-256 its listing recorded; nothing was kept of it.
extract-error-missing = { $path } was not found in layer { $layer }.
extract-error-worker = The extraction stopped unexpectedly: { $reason }
extract-skip-absolute_path = the name is an absolute path
extract-skip-parent_component = the name contains ".."
extract-skip-parent_is_symlink = a folder above it is a symbolic link
extract-skip-parent_missing = a folder above it is not a folder
extract-skip-occupied = a folder is already at that name
extract-skip-link_target_missing = the hard link's target was not extracted
extract-skip-special = device files and pipes are not created
files-save = Save…
files-save-folder = Save folder…
files-save-as-tree = As a folder tree
files-save-as-tar = As a tar file
files-save-path = Save to
files-save-into = Into the folder
files-save-start = Save
files-save-cancel = Cancel
files-save-from-merged = From the merged filesystem (all layers)
files-save-from-layer = From layer { $n } only
files-save-upto = Saving reads the whole image or one layer: pick the last layer, or "Layer … only".
files-save-select = Select a file or a folder to save it.
jobs-extract-skipped = { $count ->
    [one] 1 entry skipped
   *[other] { $count } entries skipped
}
## issue 21: file viewer
file-error-not-found = { $path }: no such file in the image.
file-error-is-directory = { $path } is a directory, not a file.
file-error-whited-out = { $path } was removed by layer { $layer }.
file-error-no-such-layer = There is no layer { $n }: the image has { $count }.
file-error-link-loop = { $path }: its symlinks loop, or go deeper than { $hops } links.
file-error-mismatch = { $path } (layer { $layer }) does not match its listing: sha256 { $actual } instead of { $expected }.
file-error-entry-missing = { $path } (layer { $layer }) was not found in the layer's blob, although its listing has it.
file-error-write = Cannot write the file's bytes: { $reason }
## wave house: all referrers in the Trust tab, the jobs panel
trust-referrers = All referrers
trust-referrers-count = All referrers ({ $count })
jobs-hide = Hide
## issue 23: Clean up… dialog
tags-cleanup = Clean up…
cleanup-title = Clean up { $repository }
cleanup-field-keep = Keep the newest
cleanup-field-by = Newest by
cleanup-by-date = created date
cleanup-by-semver = semantic version
cleanup-field-older = Only tags older than (days)
cleanup-older-hint = any age
cleanup-glob-hint = any tag
cleanup-field-untagged = Also untagged manifests, where the registry can list them
cleanup-error-number = “{ $text }” is not a whole number.
cleanup-explain = Nothing is deleted before you see the preview and confirm it.
cleanup-progress-listing = Listing the tags…
cleanup-progress-digests = Digests for { $known } of { $total } tags
cleanup-progress-dates = Dates and sizes for { $known } of { $total } images
cleanup-stop = Stop reading
cleanup-stopped = Stopped reading the tags: no preview, nothing was deleted.
cleanup-nothing = Nothing to delete: every tag stays.
cleanup-delete-heading = To delete: { $count } tags ({ $images } images)
cleanup-protected-heading = Protected: chosen by the rules, but a kept tag points at the same image ({ $count })
cleanup-keep-heading = Stays ({ $count })
cleanup-row-delete = { $tag }  sha256:{ $digest }  { $date }
cleanup-row-along = ↳ { $tag } goes along: it shares sha256:{ $digest }
cleanup-row-protected = { $tag }  sha256:{ $digest }  protected by { $because }
cleanup-row-kept = { $tag }  { $date }  { $reason }
cleanup-untagged = (untagged)
cleanup-no-date = no date
cleanup-confirm-all = Yes, delete every matching tag
cleanup-preview = Preview
cleanup-delete = { $count ->
    [one] Delete 1 tag
   *[other] Delete { $count } tags
}
## issue 21: file viewer panel (Files tab)
viewer-back = ← Back to the tree
viewer-reading = Reading the file…
viewer-from-layer = From layer { $n }
viewer-layer-version = Layer { $n }'s version
viewer-verified = SHA-256 checked
viewer-part = First { $shown } of { $size }
viewer-load-more = Load more
viewer-symlink = Symbolic link to { $target }
viewer-follow = Follow
viewer-hardlink = Hard link to { $target }; its bytes are shown.
viewer-no-bytes = This entry has no contents to show.
viewer-versions = Versions:
viewer-version = Layer { $n } · { $size }
viewer-version-removed = Layer { $n } · removed
viewer-wrap = Wrap lines
viewer-find = Find
viewer-find-hint = text in the file
viewer-find-previous = Previous match
viewer-find-next = Next match (Enter)
viewer-find-count = { $n } of { $count }
viewer-find-none = No match
viewer-picture = Picture: { $name }
viewer-picture-size = { $width } × { $height } pixels
viewer-picture-broken = This picture cannot be shown: { $reason }

## issue 23 follow-up: sorting tags, a stopped fill
tags-facts-stopped = Stopped: dates and sizes for { $known } of { $total } tags (click the column again to go on)
tags-created-newest = { $date }, the newest of its { $count } platforms (what the sort uses)

## issue 23 follow-up: tags rows from the facts store, untag wording, fill errors
jobs-kind-untag = { $count ->
    [one] Remove tag { $source }
   *[other] Remove tags { $source }
}
jobs-untag-item-ok = Removed tag { $reference }; its image stays
jobs-untag-item-failed = Not removed { $reference }: { $reason }
tags-facts-failed = Dates and sizes stopped: { $error } (click the column again to try again)
## wave files: Files tab toolbar, merged tree, trust and sidebar wording
files-mode-merged-short = { $n ->
    [1] Layer 1
   *[other] Layers 1–{ $n }
}
files-menu = Tree options
files-menu-tooltip = Sort the tree, expand or collapse every folder
files-menu-tooltip-save = Save the selection, sort the tree, expand or collapse every folder
files-replaced = { $kind ->
    [symlink] Replaced a symbolic link from layer { $n }: this layer made the path a directory.
    [file] Replaced a file from layer { $n }: this layer made the path a directory.
   *[other] Replaced a non-directory entry from layer { $n }: this layer made the path a directory.
}
files-replaced-short = { $kind ->
    [symlink] replaced a symlink from layer { $n }
    [file] replaced a file from layer { $n }
   *[other] replaced a non-directory from layer { $n }
}
trust-looked-index = attestation manifests of { $index }
trust-looked-referrers = referrers of { $subject } ({ $by ->
    [api] referrers API
    [fallback] fallback tag
   *[none] no referrers API, no fallback tag
})
trust-looked-tag = { $present ->
    [yes] tag { $tag }
   *[no] tag { $tag } (absent)
}
