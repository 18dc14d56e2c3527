# Berth 한국어 메시지. 키는 en.ftl과 같습니다.

## 여러 곳에서 쓰는 동작
action-copy = 복사
action-copy-tooltip = { $value } 복사
action-copy-name = 이름 복사
action-retry = 다시 시도
action-log-in = 로그인
action-edit-registry = 레지스트리 편집…
action-refresh = ⟳ 새로 고침
action-refresh-tooltip = 이 화면을 다시 불러옵니다 (Ctrl+R)
action-back = ← 뒤로
action-back-tooltip = 뒤로 가기 (Backspace 또는 Alt+←)
action-dismiss = 닫기
nav-go-to = { $place }(으)로 이동

## 소스 사이드바
sources-title = 소스
sources-add = + 추가
sources-add-tooltip = 레지스트리 추가…
sources-edit = 편집…
sources-log-out = 로그아웃
sources-empty = 아직 레지스트리가 없습니다. 레지스트리를 추가해 둘러보세요.
state-not-connected = 연결 안 됨
state-connecting = 연결 중…
state-ok = 연결됨
state-needs-login = 로그인 필요
state-unreachable = 연결할 수 없음
state-failed = 오류
badge-plain-http = 일반 HTTP
badge-insecure = TLS 검증 안 함

## 저장소
repos-title = 저장소
repos-tree = 트리
repos-tree-tooltip = 경로별로 저장소 묶기
repos-count = 저장소 { $count }개
repos-count-filtered = 저장소 { $count }개 중 { $shown }개
repos-count-loading = { $counted }, 불러오는 중…
repos-filter-hint = 저장소 필터 (Ctrl+F)
repos-loading = 저장소를 불러오는 중…
repos-none = 이 레지스트리에는 아직 저장소가 없습니다.
repos-no-match = 필터와 일치하는 저장소가 없습니다.
repos-connecting = { $registry }에 연결하는 중…
repos-unsupported = 이 레지스트리는 저장소 목록을 제공하지 않습니다. 아래에 이름을 입력해 여세요. 예: library/alpine
repos-open-hint = 저장소 열기…
repos-open = 열기
repos-pinned = 고정됨
repos-recent = 최근 항목
repos-pinned-item = { $repo }, 고정됨
repos-recent-item = { $repo }, 최근 항목
repos-pin = 고정
repos-unpin = 고정 해제

## 태그
tags-title = 태그
tags-filter-hint = 태그 필터 (Ctrl+F)
tags-count = 태그 { $count }개
tags-count-filtered = 태그 { $count }개 중 { $shown }개
tags-loading = 태그를 불러오는 중…
tags-none-title = 태그 없음
tags-none-body = 이 저장소에는 태그가 없습니다. 태그 없는 매니페스트는 있을 수 있습니다.
tags-col-tag = 태그
tags-col-digest = 다이제스트
tags-col-kind = 종류
tags-col-size = 크기
tags-col-created = 생성
tags-sort-tooltip = 이 열로 정렬; 다시 누르면 순서 뒤집기
tags-size-host = 이 컴퓨터의 플랫폼인 { $platform }의 크기: 풀할 때 받는 매니페스트, 설정, 레이어
tags-size-total = 플랫폼 { $count }개의 합계: 매니페스트, 설정, 레이어
tags-created-platform = { $date } ({ $platform })
tags-shared-tooltip = 다이제스트가 같은 태그: { $tags }
tags-shared-more = {" "}외 { $count }개
tags-shared-partial = 아직 찾는 중: 태그 { $count }개를 아직 조회하지 않아 더 있을 수 있습니다. 오른쪽 클릭 → "이 다이제스트의 태그 모두 찾기".
tags-find-every = 이 다이제스트의 태그 모두 찾기
tag-lookup-progress = 다이제스트를 아는 태그: { $total }개 중 { $known }개
tag-copy-pull = 풀 명령 복사
tag-copy-pull-by-tag = 태그로
tag-copy-pull-by-digest = 다이제스트로
kind-image = 이미지
kind-index = 인덱스
kind-index-artifacts = 아티팩트 { $count }개의 인덱스
kind-index-platforms = 인덱스, 플랫폼 { $count }개
kind-artifact = 아티팩트
kind-artifact-type = 아티팩트 ({ $artifact_type })
size-exact = { $bytes }바이트
size-def-pull = 레지스트리에 있는 압축된 크기: 매니페스트, 설정, 모든 레이어의 합으로, 풀할 때 내려받는 양입니다(플랫폼 하나 기준).
size-def-layers = 레지스트리에 있는 레이어 블롭의 압축된 크기입니다(매니페스트와 설정 제외).
size-def-layer = 레지스트리에 있는 이 레이어 블롭의 압축된 크기입니다.
size-def-files = 파일의 압축하지 않은 바이트 수로, 풀어 놓았을 때 차지하는 크기입니다.

## 날짜
age-now = 방금 전
age-minutes = { $count }분 전
age-hours = { $count }시간 전
age-days = { $count }일 전
age-months = { $count }개월 전
age-years = { $count }년 전

## 이미지 보기
image-loading = 이미지를 불러오는 중…
image-no-platform-title = { $platform }용 이미지가 없습니다
image-no-platform-body = 이 인덱스에는 해당 플랫폼의 이미지가 없습니다. 위에서 플랫폼을 고르세요.
tab-overview = 개요
tab-config = 구성
tab-history = 기록
tab-layers = 레이어
tab-raw = 원본
overview-reference = 참조
overview-digest = 다이제스트
overview-image-digest = 이미지 다이제스트
overview-media-type = 미디어 유형
overview-platform = 플랫폼
overview-total-size = 전체 크기
overview-layers = 레이어
overview-created = 생성 시각
overview-author = 작성자
overview-artifact-type = 아티팩트 유형
overview-subject = 대상(subject)
overview-open-subject = 대상 열기
overview-open-subject-hint = 이 아티팩트가 참조하는 이미지를 엽니다
overview-platforms = 플랫폼
overview-platforms-hint = 이 참조는 인덱스입니다. 다른 탭에서 볼 플랫폼을 고르세요.
overview-platforms-col-platform = 플랫폼
overview-platforms-col-size = 풀 크기
overview-platforms-col-manifest = 매니페스트
overview-annotations = 주석
config-runtime = 실행 설정
config-entrypoint = 엔트리포인트
config-cmd = 명령
config-workdir = 작업 디렉터리
config-user = 사용자
config-ports = 노출 포트
config-volumes = 볼륨
config-stop-signal = 중지 시그널
config-env = 환경 변수
config-labels = 레이블
config-empty = 없음
config-none-title = 이미지 구성이 아닙니다
config-none-body = 이 아티팩트의 구성은 미디어 유형이 { $media_type }입니다.
history-col-step = 단계
history-col-size = 레이어
history-col-created = 생성
history-col-command = 명령
history-empty-layer = 레이어 없음
history-empty-layer-tooltip = 이 단계는 메타데이터만 바꾸었고 레이어를 만들지 않았습니다.
history-none-title = 기록 없음
history-none-body = 이미지 구성에 빌드 단계가 기록되어 있지 않습니다.
layers-summary = 레이어 { $count }개, 압축 크기 { $size }
layers-col-index = #
layers-col-digest = 다이제스트
layers-col-type = 유형
layers-col-size = 크기
layers-col-share = 전체 대비 비율
layers-none-title = 레이어 없음
layers-none-body = 이 매니페스트에는 레이어가 없습니다.
referrers-loading = 참조를 찾는 중…
referrers-none-body = 이 이미지를 참조하는 서명, SBOM, 증명이 없습니다.
referrers-untyped = (아티팩트 유형 없음)
referrers-no-api = 이 레지스트리에는 referrers API가 없고, 이 이미지의 참조를 나열하는 대체 태그도 없습니다. 이 이미지를 참조하는 아티팩트가 저장소에 있을 수도 있습니다.
referrers-by-fallback-tag = 이 레지스트리에는 referrers API가 없습니다. 아래 목록은 대체 태그에서 가져왔으며, 푸시한 도구가 그곳에 기록한 것만 담고 있습니다.
referrers-search = 이 저장소의 아티팩트 살펴보기
referrers-search-again = 다시 살펴보기
referrers-search-hint = 각 태그의 매니페스트를 읽어(최대 { $limit }개) subject가 이 이미지인 것을 나열합니다.
referrers-searching = 태그를 살펴보는 중…
referrers-search-summary = 태그 { $looked }개를 살펴보았습니다: { $found }개가 이 이미지를 참조합니다.
referrers-search-summary-truncated = 태그 { $total }개 중 처음 { $looked }개를 살펴보았습니다: { $found }개가 이 이미지를 참조합니다.
referrers-open = 아티팩트 열기
raw-manifest = 매니페스트
raw-index = 인덱스
raw-config = 구성
raw-copy-json = JSON 복사

## 레지스트리 대화 상자와 로그인
dialog-add-title = 레지스트리 추가
dialog-edit-title = 레지스트리 편집
dialog-name = 이름
dialog-name-hint = 사이드바에 표시됩니다
dialog-url = URL
dialog-plain-http = 일반 HTTP 사용
dialog-plain-http-from-url = 주소가 http:// 또는 https://로 시작하므로 그에 따라 정해집니다.
dialog-insecure = TLS 검증 건너뛰기
dialog-insecure-warning = 이 레지스트리와 주고받는 데이터(비밀번호 포함)를 네트워크의 다른 사람이 보거나 바꿀 수 있습니다.
dialog-ca-file = CA 파일
dialog-ca-file-hint = /path/to/ca.pem
dialog-ca-pick-title = CA 인증서 선택
dialog-browse = 찾아보기…
dialog-no-file-chooser = 이 데스크톱에서는 파일 선택 창을 열 수 없습니다. 경로를 직접 입력하세요.
dialog-credentials-note = 비워 두면 Docker나 Podman에 저장된 자격 증명을 사용합니다.
dialog-username = 사용자 이름
dialog-password = 비밀번호
dialog-test = 연결 테스트
dialog-testing = 테스트 중…
dialog-test-ok = 연결되었습니다. 레지스트리가 응답했고 자격 증명을 받아들였습니다.
dialog-test-ok-anonymous = 연결되었습니다. 레지스트리가 응답했고, 로그인 없이 접근할 수 있습니다.
dialog-save = 저장
dialog-cancel = 취소
dialog-remove = 삭제
dialog-invalid-url = "{ $url }"은(는) 레지스트리 주소가 아닙니다. host:port 형식을 쓰고, 일반 HTTP라면 http://host:port를 쓰세요.
dialog-duplicate = 주소 { $url }은(는) 이미 "{ $name }"(으)로 저장되어 있습니다. 저장하면 그 항목을 덮어쓰게 되니, 그 항목을 편집하세요.
dialog-edit-existing = { $name } 편집
login-title = { $registry }에 로그인
login-body = 자격 증명은 Berth 설정이 아니라 Docker나 Podman이 쓰는 곳에 저장됩니다.
login-refused = 레지스트리가 이 자격 증명을 거부했습니다. 사용자 이름과 비밀번호를 확인하세요.

## 상단 막대, 상태 표시줄, 빈 화면
theme-label = 테마
theme-system = 시스템 설정
theme-light = 밝게
theme-dark = 어둡게
theme-tooltip = 밝은 테마, 어두운 테마, 또는 시스템 설정 따르기
language-tooltip = 화면 언어
status-rate-limit = 남은 풀 횟수: { $limit }회 중 { $remaining }회
fonts-missing = 한국어·중국어·일본어 글꼴이 설치되어 있지 않아 해당 글자가 네모로 보입니다. fonts-noto-cjk 또는 fonts-nanum을 설치하세요.
notice-save-failed = 저장하지 못했습니다: { $reason }
notice-bad-registry-url = --registry { $url }을(를) 무시했습니다. 레지스트리 주소가 아닙니다.
notice-credentials-not-saved = { $registry }에 로그인했지만 로그인 정보를 저장하지 못해 다음에 다시 물어봅니다. { $reason } 이 문제를 해결한 뒤 다시 로그인하세요.
notice-credentials-not-removed = 이 창에서는 { $registry }에서 로그아웃했지만 저장된 로그인 정보를 지우지 못해 다음에 다시 쓰입니다. { $reason } 이 문제를 해결한 뒤 다시 로그아웃하세요.
welcome-title = 소스를 고르세요
welcome-body = 왼쪽에서 레지스트리를 고르면 저장소가 표시됩니다.
welcome-empty-title = 아직 소스가 없습니다
welcome-empty-body = 레지스트리를 추가해 저장소와 이미지를 둘러보세요.
choose-repo-title = 저장소를 고르세요
choose-repo-body = 여기에 태그가 표시됩니다. 필터로 빠르게 찾거나 화살표 키와 Enter를 쓰세요.

## 오류 아래의 도움말
hint-rate-limited = 잠시 기다리거나 로그인하세요. 로그인하면 한도가 더 높습니다.
hint-rate-limited-remaining = 이번 기간에 남은 요청: { $remaining }
hint-delete-disabled = 레지스트리 설정에서 삭제를 켜고(storage.delete.enabled: true) 레지스트리를 다시 시작하세요.
hint-tls = 레지스트리 설정에서 CA 파일을 지정하세요. 테스트용 레지스트리라면 TLS 검증을 건너뛸 수도 있습니다.
hint-unreachable = 주소와 네트워크를 확인한 뒤 다시 시도하세요.
hint-plain-http-answer = 이 레지스트리의 "일반 HTTP 사용"을 켜거나(레지스트리 편집), 주소를 http://HOST로 쓰세요.
error-details = 자세히

## 오류 (레지스트리 오류 종류마다 하나)
error-invalid-reference = 올바른 이미지 참조가 아닙니다: { $input }
error-unreachable = { $registry }에 연결할 수 없습니다: { $reason }
error-tls = { $registry }와(과)의 보안 연결에 실패했습니다: { $reason }
error-untrusted-certificate = { $registry }의 인증서를 신뢰할 수 없습니다: { $reason }
error-plain-http-answer = { $registry }이(가) 보안(TLS) 연결이 아닌 일반 HTTP로 응답했습니다.
error-unreachable-brief = { $registry }에 연결할 수 없습니다.
error-tls-brief = { $registry }와(과)의 보안 연결에 실패했습니다.
error-untrusted-certificate-brief = { $registry }의 인증서를 신뢰할 수 없습니다.
error-unauthorized = { $registry }에서 자격 증명을 거부했거나 로그인이 필요합니다.
error-denied = { $registry }에서 { $what }에 대한 접근을 거부했습니다.
error-not-found = 찾을 수 없습니다: { $what }
error-catalog-unsupported = { $registry }는 저장소 목록을 제공하지 않습니다. 저장소 이름으로 여세요.
error-delete-disabled = { $registry }에서 삭제 기능이 꺼져 있습니다.
error-delete-by-digest-only = { $registry }는 다이제스트로만 이미지를 삭제합니다. 그 다이제스트를 가리키는 태그가 모두 함께 삭제됩니다.
error-plan-changed = { $change ->
    [added] { $reference }가 이제 삭제될 { $digest }를 가리키지만 확인 창에는 없었습니다. 아무것도 삭제하지 않았습니다. 삭제를 다시 계획하세요.
   *[moved] { $reference }가 이제 { $digest }를 가리켜 확인 창에 나온 이미지가 아닙니다. 아무것도 삭제하지 않았습니다. 삭제를 다시 계획하세요.
}
error-rate-limited = { $registry }에서 요청 횟수를 제한하고 있습니다{ $retry ->
    [-1] .
   *[other] . { $retry }초 뒤에 다시 시도하세요.
}
error-http-status = { $registry }가 { $what } 요청에 HTTP { $status }(으)로 응답했습니다.
error-digest-mismatch = { $what }의 다이제스트가 맞지 않습니다. 예상 { $expected }, 실제 { $actual }
error-size-mismatch = { $what }의 크기가 맞지 않습니다. 예상 { $expected }바이트, 실제 { $actual }바이트
error-too-large = { $what }이(가) 한도({ $limit })보다 큽니다.
error-invalid-content = { $what }의 내용이 올바르지 않습니다: { $reason }
error-platform-not-found = { $wanted } 플랫폼용 이미지가 없습니다. { $count ->
    [0] 인덱스에 어느 플랫폼용 이미지도 없습니다
   *[other] 사용 가능: { $available }
}{ $nestedcount ->
    [0] .
   *[other] . 중첩된 인덱스({ $nested })도 있지만, 플랫폼 하나를 고를 때는 열지 않습니다.
}
error-token-failed = { $realm }에서 토큰을 받지 못했습니다: { $reason }
error-credentials = 저장된 자격 증명을 읽을 수 없습니다: { $reason }
error-protocol = { $registry }의 응답을 이해할 수 없습니다: { $reason }
error-cancelled = 취소되었습니다.
error-stalled = 레지스트리가 데이터 전송을 멈췄습니다: { $registry }에서 { $what }을(를) 읽는 동안 너무 오랫동안 거의 아무것도 오지 않았습니다.
error-invalid-link = { $registry }가 보낸 다음 페이지 링크가 올바른 URL이 아닙니다: { $link }
error-no-ca-certificates = 이 컴퓨터에서 CA 인증서를 찾을 수 없어 { $registry }의 인증서를 확인할 수 없습니다.
error-index-too-deep = { $what }의 인덱스가 { $limit }단계보다 깊게 중첩되어 있어 더 이상 따라가지 않습니다.
error-foreign-link = { $registry }가 다른 서버({ $target })로 가는 다음 페이지 링크를 보냈습니다. Berth는 레지스트리 자신의 페이지만 따라갑니다.
error-endless-listing = { $registry }가 { $what } 목록을 끝없이 넘기고 있어(같은 페이지가 다시 오거나 { $pages }페이지를 넘음) 중단했습니다.

## CLI: 오류 뒤에 할 일 (명령줄)
cli-hint-untrusted-certificate = --ca FILE로 CA를 지정하거나(레지스트리에 저장한 CA 파일도 됩니다), --insecure로 인증서 검증을 건너뛰세요.
cli-hint-tls = 레지스트리가 일반 HTTP를 쓴다면 http://HOST 또는 --plain-http를 사용하세요.
cli-hint-plain-http-answer = http://HOST 또는 --plain-http를 사용하세요.
cli-hint-unauthorized = `berth login HOST`로 로그인하거나 --user와 --password-stdin을 함께 지정하세요.
cli-hint-delete-disabled = 레지스트리 설정에서 삭제를 켜고(storage.delete.enabled: true) 레지스트리를 다시 시작하세요.
cli-hint-platform-not-found = --platform으로 하나를 고르세요.
cli-hint-rate-limited = 로그인하면 한도가 늘어납니다. 아니면 잠시 뒤에 다시 시도하세요.
cli-hint-unreachable = 주소와 네트워크를 확인한 뒤 다시 시도하세요.
cli-hint-no-ca-certificates = 시스템 CA 번들(ca-certificates 패키지)을 설치하거나, SSL_CERT_FILE이 CA 번들을 가리키게 하거나, --ca FILE로 레지스트리의 CA를 지정하세요.
## CLI 출력
cli-rm-tags-going = 함께 삭제되는 태그({ $count }개):
cli-rm-no-tags = (이 다이제스트를 가리키는 태그가 없습니다)
cli-rm-confirm = 삭제할까요? [y/N]
cli-rm-not-deleted = 삭제하지 않았습니다.
cli-rm-needs-yes = 확인 없이는 삭제하지 않습니다. --yes를 지정하세요(목록만 보려면 --dry-run).
cli-rm-deleted = 삭제했습니다. 저장 공간은 레지스트리의 가비지 컬렉션이 실행된 뒤에 확보됩니다.
cli-rm-sweeping = 같은 다이제스트를 가리키는 태그를 확인하는 중
cli-rm-tag-not-given = { $tag }   (지정하지 않음: 같은 다이제스트)
cli-rm-partly = 실패 전에 삭제한 것: { $deleted }
cli-prune-plan = { $store }: 아무것도 쓰지 않는 데이터를 지워 { $freed }를 확보합니다.
cli-prune-nothing = { $store }: 정리할 것이 없습니다.
cli-prune-temp-file = 남은 임시 파일
cli-prune-confirm = 정리할까요? [y/N]
cli-login-succeeded = { $registry }에 { $user }(으)로 로그인했습니다. 자격 증명은 { $place }에 저장했습니다.
cli-logout-removed = { $place }에서 { $registry }의 자격 증명을 삭제했습니다.
cli-logout-none = { $registry }에 로그인되어 있지 않습니다.
cli-warning-from = { $registry }의 경고: { $text }
cli-rate-limit = { $registry } 요청 한도: { $limit } 중 { $remaining } 남음
cli-inspect-reference = 참조
cli-inspect-digest = 다이제스트
cli-inspect-media-type = 미디어 유형
cli-inspect-size = 크기
cli-inspect-annotation = 어노테이션
cli-inspect-platforms = 플랫폼({ $count }개):
cli-inspect-shown-below = (아래에 표시)
cli-inspect-no-host-platform = 이 컴퓨터의 플랫폼({ $platform })용 이미지가 없습니다. 위 플랫폼 중 하나를 --platform으로 지정하세요.
cli-inspect-referrers = 참조하는 아티팩트({ $count }개):
cli-inspect-referrers-failed = 참조하는 아티팩트를 가져오지 못했습니다: { $reason }
cli-inspect-image = 이미지
cli-inspect-platform = 플랫폼
cli-inspect-artifact = 아티팩트
cli-inspect-config-blob = 설정 블롭
cli-inspect-total-size = 전체 크기
cli-inspect-created = 생성 시각
cli-inspect-config = 설정:
cli-inspect-history = 히스토리({ $count }개):
cli-inspect-empty-layer = (빈 레이어)
cli-files-no-layer = { $reference }에는 레이어 { $n }이(가) 없습니다. 레이어 { $count }개는 1부터 { $count }까지 번호가 붙습니다.
cli-inspect-layers = 레이어({ $count }개):

## 레이어 탐색기: 파일 탭과 이미지 비교 창 (레이어 탐색기 GUI)
tab-files = 파일
files-layers-title = 레이어
files-layer-row = 레이어 { $n }
files-layer-waiting = 대기 중
files-layer-cached = 캐시됨
files-layer-read = 읽음
files-layer-damaged = 손상됨
files-layer-entries = 항목 { $count }개
files-no-command = (기록된 빌드 단계 없음)
files-efficiency = 효율
files-efficiency-tooltip = 레이어에 담긴 파일 바이트 중 최종 파일 시스템에 남는 비율입니다. 이후 레이어가 덮어쓰거나 지운 파일의 바이트는 낭비됩니다.
files-wasted-summary = 파일 { $total } 중 { $wasted } 낭비
files-wasted-none = 낭비 없음: 이후 레이어가 덮어쓰거나 지운 파일이 없습니다.
files-wasted-row-tooltip = 레이어 { $layers }에서 { $bytes }바이트가 낭비되었습니다. 클릭하면 트리에서 이 경로를 보여 줍니다.
files-mode-merged = 레이어 { $n }까지 합친 결과
files-mode-merged-tooltip = 레이어 1부터 { $n }까지 적용한 파일 시스템입니다. 레이어 { $n }이(가) 바꾼 항목에 색이 표시됩니다.
files-mode-layer = 레이어 { $n }만
files-mode-layer-tooltip = 레이어 { $n }이(가) 추가, 수정, 삭제한 항목만 보여 줍니다.
files-filter = 경로 필터
files-filter-hint = *.so, etc/, 텍스트…
files-filter-clear = 필터 지우기 (Esc)
files-filter-invalid = 올바른 glob이 아닙니다: { $reason }
files-sort = 정렬
files-sort-name = 이름
files-sort-size = 크기
files-expand-all = 모두 펼치기
files-collapse-all = 모두 접기
files-legend-added = 추가
files-legend-modified = 수정
files-legend-removed = 삭제
files-col-name = 이름
files-col-mode = 권한
files-col-size = 크기
files-col-layer = 레이어
files-loading = 레이어 { $count }개 읽는 중: { $total } 중 { $read }
files-building = 트리를 만드는 중…
files-damaged = 손상된 레이어가 { $count }개 있습니다. 트리에는 손상 지점 전까지 읽은 내용이 표시됩니다.
files-failed = 레이어 읽기가 중단되었습니다: { $reason }
files-view-empty = 이 레이어는 파일을 바꾸지 않습니다.
files-no-match = "{ $filter }"와(과) 일치하는 항목이 없습니다.
files-kind-file = 파일
files-kind-dir = 디렉터리
files-kind-symlink = 심볼릭 링크
files-kind-hardlink = 하드 링크
files-kind-device = 장치
files-kind-fifo = FIFO
files-changed-by = 레이어 { $n }에서 { $change ->
    [added] 추가
    [removed] 삭제
   *[modified] 수정
}: { $command }
layer-error-corrupt = blob의 { $offset }바이트 지점(tar 오프셋 { $tar_offset })이 손상되었습니다: { $reason }
layer-error-truncated = blob이 { $offset }바이트(tar 오프셋 { $tar_offset })에서 끊겼습니다.
layer-error-verify = { $offset }바이트 지점에서 검증에 실패했습니다: { $reason }
layer-error-not-tar = tar 레이어가 아니어서({ $media_type }) 파일 목록을 볼 수 없습니다.
layer-error-read = blob을 읽을 수 없습니다: { $reason }
layer-error-in = 레이어 { $digest }: { $reason }
layer-error-too-many-names = 레이어의 파일 이름이 { $limit }를 넘습니다.
layer-error-layout = OCI 레이아웃 { $dir }: { $reason }
layer-error-layout-tag-not-found = OCI 레이아웃 { $dir }에 "{ $tag }" 태그가 붙은 이미지가 없습니다(태그: { $available }).
layer-error-cache = 레이어 캐시 { $path }: { $reason }
layer-error-no-cache-dir = 캐시 디렉터리가 없습니다. 시스템이 홈 디렉터리를 알려 주지 않습니다.
layer-error-worker = 레이어를 읽는 작업이 예기치 않게 멈췄습니다: { $reason }
layer-error-not-a-file = { $path }은(는) 일반 파일이 아니라 { $file_type ->
        [fifo] 이름 있는 파이프
        [char_device] 문자 장치
        [block_device] 블록 장치
        [socket] 소켓
        [directory] 디렉터리
       *[other] 다른 종류의 파일
    }입니다. Berth는 여기서 아무것도 읽지 않습니다.
layer-error-name-too-long = tar 오프셋 { $tar_offset }의 항목 이름이 { $limit }바이트(Linux가 허용하는 가장 긴 경로)보다 깁니다. 목록은 여기서 멈춥니다.
layer-error-header-too-large = tar 오프셋 { $tar_offset }의 항목에 붙은 긴 이름 또는 PAX 헤더가 { $limit }보다 큽니다. 목록은 여기서 멈춥니다.
layer-error-window-too-large = 이 zstd 레이어는 { $limit }보다 큰 해제 창이 필요합니다(zstd --long 27 초과로 만든 레이어). 메모리를 제한하기 위해 Berth는 이 레이어를 풀지 않습니다.
compare-open = 비교…
compare-engine-image = { $reference }은(는) 엔진에 있는 이미지라 먼저 내보내지 않으면 레이어를 읽을 수 없습니다. 레지스트리, Berth 저장소(berth:), OCI 레이아웃(oci:DIR:TAG)에 있는 이미지를 쓰세요.
compare-title = 이미지 비교
compare-image-a = 이미지 A
compare-image-b = 이미지 B
compare-reference-hint = 저장소:태그, 저장소@다이제스트, berth:이름 또는 oci:디렉터리:태그
compare-tags-a = A의 태그
compare-tags-b = B의 태그
compare-run = 비교
compare-swap = 맞바꾸기
compare-swap-tooltip = 이미지 A와 B를 서로 바꿉니다
compare-reading = 레이어 읽는 중: { $total } 중 { $read }
compare-empty-title = 비교할 이미지 두 개를 고르세요
compare-empty-body = 양쪽의 레지스트리와 태그를 고른 뒤(로컬 이미지는 berth:이름 또는 oci:디렉터리:태그로 입력) 비교를 누르세요. 두 이미지가 공유하는 레이어는 한 번만 읽습니다.
compare-bad-reference = "{ $reference }"은(는) 이미지를 가리키지 않습니다. 저장소:태그 형식으로 쓰세요.
compare-not-connected = { $registry }에 아직 연결되지 않았습니다.
compare-no-image = { $reference }에는 이 컴퓨터 플랫폼용 이미지가 없습니다.
compare-copy-summary = 요약 복사
compare-copy-summary-tooltip = 차이점을 텍스트로 클립보드에 복사합니다
compare-damaged = { $image }, 레이어 { $n }: { $reason }
compare-config = 구성: 차이 { $count }개
compare-config-same = 구성이 같습니다.
compare-col-field = 항목
compare-col-a = A
compare-col-b = B
compare-absent = (없음)
compare-layers = 레이어: 공유 { $shared }개({ $shared_size }), A에만 { $only_a }개({ $only_a_size }), B에만 { $only_b }개({ $only_b_size })
compare-layer-shared = A의 레이어 { $a }, B의 레이어 { $b }
compare-layer-only-a = 레이어 { $n }, A에만 있음
compare-layer-only-b = 레이어 { $n }, B에만 있음
compare-files = 파일: 추가 { $added }개({ $added_size }), 삭제 { $removed }개({ $removed_size }), 변경 { $changed }개
compare-files-same = 파일 시스템이 같습니다.
compare-changed-means = 변경: 두 이미지에 모두 있지만 내용(파일 바이트의 SHA-256), 종류, 권한, 소유자 또는 링크 대상이 다른 경로입니다. 수정 시각만 다른 것은 변경이 아닙니다.
compare-content = 내용 { $a } → { $b }
compare-filter = 경로 필터
compare-filter-hint = 경로에 들어간 텍스트
compare-more = … 외 { $count }개
files-view-count = 파일 { $files }개, { $size }
files-artifact-title = 컨테이너 이미지가 아닙니다
files-artifact-body = 이 아티팩트의 레이어는 파일 시스템 레이어가 아니어서 보여 줄 파일이 없습니다.

## Settings window, font directories, locale formatting (issue 8)
settings-open = 설정
settings-open-tooltip = 언어, 테마, 글꼴, 레이어 캐시
top-more = 더 보기
top-more-tooltip = 비교, 테마, 언어, 설정
settings-title = 설정
settings-language = 언어
settings-fonts = 한국어·중국어·일본어 글꼴
settings-font-loading = 글꼴을 찾는 중…
settings-font-ready = 사용 중: { $family }
settings-font-missing = 한글·한자·가나 글꼴을 찾지 못했습니다. fonts-noto-cjk 또는 fonts-nanum을 설치하거나 글꼴 파일을 지정하세요.
settings-font-off = 이번 실행에서는 글꼴을 찾지 않습니다.
settings-font-file = 글꼴 파일
settings-font-dirs = 글꼴 폴더
settings-font-dirs-hint = 한 줄에 하나씩, 비워 두면 시스템 글꼴 사용
settings-fonts-apply = 이 글꼴 사용
settings-fonts-note = BERTH_FONT_DIRS가 설정되어 있으면 그 값이 우선합니다. 이미 사용 중인 글꼴은 다음 실행 때 바뀝니다.
settings-cache = 레이어 캐시
settings-cache-none = 이번 실행에는 레이어 캐시가 없습니다.
settings-cache-size = 디스크 사용량 { $size }
settings-cache-clear = 레이어 캐시 비우기
settings-cache-cleared = { $size } 확보(파일 { $count }개)
settings-cache-failed = 레이어 캐시를 비우지 못했습니다: { $reason }
settings-close = 닫기

## Local stores in the sidebar, their images, and deleting one (issue 5)
local-title = 로컬
local-berth = 로컬 (Berth)
local-not-found = 찾을 수 없음
local-usage = 이미지 { $count }개, { $size }
local-usage-tooltip = 디스크 { $bytes }바이트 사용, { $reclaimable } 정리 가능
local-size-bytes = { $bytes }바이트
local-images-count = 이미지 { $count }개
local-images-loading = 저장소를 읽는 중…
local-empty-title = 아직 이미지가 없습니다
local-empty-body = 이 저장소로 가져오거나 복사한 이미지가 여기에 표시됩니다.
local-choose-title = 이미지를 선택하세요
local-choose-body = 개요, 설정, 기록, 레이어, 파일이 여기에 열립니다.
local-incomplete = 불완전
local-delete = 삭제…
local-delete-tooltip = 선택한 이미지를 이 저장소에서 삭제합니다(먼저 확인합니다)
local-delete-title = { $reference }을(를) 삭제할까요?
local-delete-planning = 삭제할 항목을 확인하는 중…
local-delete-store = { $store }에서:
local-delete-removes-ref = 이름 { $reference } 삭제
local-delete-removes-image = 이미지 { $digest }와 다른 곳에서 쓰지 않는 블롭 삭제({ $freed } 확보)
local-delete-keeps-image = 이미지 { $digest }는 다른 이름으로 남습니다
local-delete-keeps-ref = { $reference } 유지
local-delete-container = 컨테이너 { $container }에서 사용 중
local-delete-needs-force = 엔진이 강제 없이는 이 삭제를 거부합니다. 삭제하면 강제로 진행합니다.
local-delete-confirm = 삭제
local-delete-force = 강제 삭제
local-delete-cancel = 취소
local-copy = 복사…
local-copy-tooltip = 이 이미지를 레지스트리나 다른 로컬 저장소로 백그라운드에서 복사합니다
local-export = 내보내기…
local-export-tooltip = 이 이미지를 docker load나 podman load가 읽는 tar 파일로 백그라운드에서 저장합니다
local-import = 가져오기…
local-import-tooltip = docker-archive나 oci-archive tar를 이 저장소로 백그라운드에서 불러옵니다
local-import-title = { $store }(으)로 가져오기
local-import-file = 아카이브 파일
local-import-pick-title = 가져올 파일
local-import-name = 이름
local-import-name-hint = 아카이브에 있는 이름
local-import-formats = docker-archive(docker save가 쓰는 형식) 또는 oci-archive tar입니다.
local-import-confirm = 가져오기
local-import-cancel = 취소
local-engine-missing = 응답하는 소켓 없음
store-error-not-found = { $store }에 { $reference }이(가) 없습니다.
store-error-ambiguous = { $reference }이(가) { $store }의 여러 이미지와 일치합니다: { $candidates }
store-error-invalid-reference = { $reference }은(는) 여기서 쓸 수 없는 이름입니다: { $reason }
store-error-not-a-layout = { $dir }은(는) OCI 이미지 레이아웃이 아닙니다: { $reason }
store-error-invalid = { $dir }의 { $what }이(가) 올바르지 않습니다: { $reason }
store-error-io = { $path } { $action } 실패: { $reason }
store-error-not-a-file = { $path }은(는) 일반 파일이 아니라 { $file_type ->
        [fifo] 이름 있는 파이프
        [char_device] 문자 장치
        [block_device] 블록 장치
        [socket] 소켓
        [directory] 디렉터리
       *[other] 다른 종류의 파일
    }입니다. Berth는 여기서 아무것도 읽지 않습니다.
store-error-missing-blob = { $dir }에 블롭 { $digest }이(가) 없습니다.
store-error-verify = 블롭 { $digest } 검증에 실패했습니다: { $reason }
store-error-too-large = 블롭 { $digest }이(가) Berth가 메모리로 읽는 한도보다 큽니다.
store-error-engine-not-found = { $engine } 엔진을 찾지 못했습니다. 찾아본 곳: { $tried }
store-error-engine = { $socket }의 { $engine }: { $reason }
store-error-engine-conflict = { $engine }이(가) { $reference } 삭제를 거부했습니다: { $reason }
store-error-plan-changed = 삭제를 계획한 뒤 { $store }의 { $reference }가 바뀌었습니다. 아무것도 삭제하지 않았습니다. 삭제를 다시 계획하세요.
store-error-prune-changed = 정리를 계획한 뒤 { $store }의 { $blob }을(를) 쓰는 이미지가 생겼습니다. 아무것도 지우지 않았습니다. 정리를 다시 계획하세요.
store-error-no-data-dir = Berth 저장소를 둘 데이터 디렉터리가 없습니다(HOME이 설정되어 있나요?).
store-error-cross-store = { $source_store }와(과) { $target_store }은(는) 서로 다른 저장소입니다. 태그는 한 저장소 안에서만 붙일 수 있습니다.
store-error-task = 백그라운드 작업이 실패했습니다: { $reason }
jobs-error-reference = 잘못된 참조입니다: { $reason }
jobs-error-credentials = { $registry }의 자격 증명을 읽을 수 없습니다: { $reason }
jobs-error-engine = { $engine }: { $reason }
jobs-error-engine-missing-image = { $engine }이(가) 성공했다고 알렸지만 { $reference }이(가) 없습니다.
jobs-error-archive = { $path }은(는) docker-archive나 oci-archive가 아닙니다: { $reason }
jobs-error-archive-ambiguous = { $path }에 이미지가 { $count }개 있습니다. --to STORE:NAME으로 불러올 이미지를 지정하세요.
jobs-error-unsupported = { $source_kind }에서 { $target_kind }(으)로는 복사할 수 없습니다.
jobs-error-needs-one-platform = docker-archive에는 플랫폼 하나만 담을 수 있습니다. --platform으로 하나를 고르세요.
jobs-error-panicked = 작업이 예기치 않게 실패했습니다: { $reason }
credentials-error-read = { $path }을(를) 읽을 수 없습니다: { $reason }.
credentials-error-write = { $path }에 쓸 수 없습니다: { $reason }.
credentials-error-helper = 자격 증명 도우미 docker-credential-{ $helper }이(가) 실패했습니다: { $reason }.
credentials-error-no-store = 자격 증명을 저장할 곳이 없습니다(HOME이나 REGISTRY_AUTH_FILE을 설정하세요).
local-files-engine-title = 엔진 이미지의 파일은 표시하지 않습니다
local-files-engine-body = 엔진이 레이어를 직접 관리합니다. 파일을 보려면 이미지를 Berth 저장소로 복사하세요.
local-files-engine-copy = Berth 저장소로 복사

## Jobs panel and tag actions
jobs-toggle = 작업 ({ $count })
jobs-toggle-tooltip = 백그라운드 작업(가져오기, 삭제)과 진행 상황을 보이거나 숨깁니다
jobs-title = 작업
jobs-none = 아직 작업이 없습니다. 태그를 가져오면 여기에 표시됩니다.
jobs-clear = 끝난 작업 지우기
jobs-kind-pull = 가져오기 { $source } → { $dest }
jobs-kind-push = 올리기 { $source } → { $dest }
jobs-kind-copy = 복사 { $source } → { $dest }
jobs-kind-save = 저장 { $source } → { $dest }
jobs-kind-load = 불러오기 { $source } → { $dest }
jobs-kind-delete = 삭제 { $source }
jobs-bytes = { $total } 중 { $done }
jobs-items = { $total }개 중 { $done }개
jobs-items-toggle = 블롭 ({ $count }개)
jobs-speed = 초당 { $speed }
jobs-eta = { $seconds }초 남음
jobs-cancel = 취소
jobs-retry = 다시 시도
jobs-succeeded = 완료
jobs-cancelled = 취소됨
jobs-toast-done = 완료: { $job }
jobs-toast-cancelled = 취소됨: { $job }
jobs-toast-failed = 실패: { $job }: { $reason }
tag-pull = Berth 저장소로 가져오기
tag-pull-tooltip = 이 태그의 이 컴퓨터용 이미지를 백그라운드에서 Berth 저장소로 복사합니다
tag-delete-open = 태그 삭제…
tag-delete-open-tooltip = 레지스트리에서 이 태그를 삭제합니다 (먼저 확인하며, 함께 삭제되는 태그를 모두 보여 줍니다)
tag-delete-title = { $registry }에서 { $reference }을(를) 삭제할까요?
tag-delete-planning = 같은 이미지를 가리키는 태그를 확인하는 중… { $total }개 중 { $done }개
tag-delete-digest = 매니페스트 { $digest }
tag-delete-explain = 레지스트리는 다이제스트 단위로 삭제하므로, 이 이미지를 가리키는 태그 { $count }개가 모두 삭제됩니다:
tag-delete-removes = 태그 { $tag } 삭제
tag-delete-confirm = 삭제
tag-delete-cancel = 취소
tag-delete-close = 닫기
tag-delete-done-gc = 삭제했습니다. 저장 공간은 레지스트리의 가비지 컬렉션이 실행된 뒤에야 회수됩니다.

## Tag actions: Copy to… and Export…
tag-copy-open = 복사…
tag-copy-open-tooltip = 이 태그의 이미지를 다른 레지스트리, 저장소 또는 로컬 저장소로 백그라운드에서 복사합니다
tag-copy-title = { $reference } 복사
tag-copy-dest = 대상
tag-copy-dest-hint = registry.example.com/team/app:v1
tag-copy-grammar = HOST/REPO:TAG, berth:NAME, oci:DIR:TAG, docker:NAME 또는 podman:NAME
tag-copy-suggest = 바로 선택:
tag-copy-to-berth = Berth 저장소
tag-copy-invalid = 올바른 참조가 아닙니다: { $reason }
tag-copy-confirm = 이미지 복사
tag-copy-cancel = 취소
tag-export-open = 내보내기…
tag-export-open-tooltip = 이 태그의 이미지를 docker load나 podman load로 읽을 수 있는 tar 파일로 백그라운드에서 저장합니다
tag-export-title = { $reference } 내보내기
tag-export-file = 파일
tag-export-pick-title = 내보낼 위치
tag-export-format = 형식
tag-export-format-docker = Docker 아카이브 (docker load)
tag-export-format-oci = OCI 아카이브
tag-export-platform-note = 이 컴퓨터의 플랫폼용 이미지를 저장합니다.
tag-export-confirm = 내보내기
tag-export-cancel = 취소

## Tags table: several tags at once
tags-marked = 태그 { $count }개 선택됨
tags-delete-marked = 태그 { $count }개 삭제…
tags-unmark = 선택 해제
tags-mark-hint = Ctrl+클릭으로 태그를 선택하고, Shift+클릭으로 범위를 선택합니다
tags-delete-many-title = 태그 { $count }개를 삭제할까요?
tags-delete-many-planning = 선택한 태그와 함께 삭제될 태그를 확인하는 중… { $total }개 중 { $done }개
tags-delete-many-explain = 레지스트리는 다이제스트 단위로 삭제하므로, 선택한 태그와 같은 이미지를 가리키는 태그도 모두 삭제됩니다. 삭제될 태그:
tags-delete-many-others = 선택하지 않은 태그 { $count }개도 선택한 태그와 같은 이미지를 가리키므로 함께 삭제됩니다.
tags-delete-many-not-selected = { $reference } (선택하지 않음, 같은 이미지)
tags-delete-many-confirm = 태그 { $count }개 삭제
jobs-delete-item-ok = { $reference } 삭제함
jobs-delete-item-removed = 삭제된 태그: { $tags }
jobs-delete-item-failed = { $reference } 삭제 못 함: { $reason }

## issue 20: signatures
sig-state-verified = 검증됨
sig-state-invalid = 무효
sig-state-unverified = 검증 안 됨
sig-kind-cosign = cosign
sig-kind-notation = notation
sig-kind-sigstore-bundle = Sigstore 번들
sig-reason-key-checked = 키 { $key }(으)로 확인함
sig-reason-digest-differs = 페이로드가 다른 이미지를 가리킵니다: { $claimed }
sig-reason-signature-fails = 같은 종류의 주어진 키로 확인되지 않습니다: 페이로드가 바뀌었거나 다른 키로 서명되었습니다
sig-reason-certificate-key-fails = 서명에 딸린 인증서의 키로 확인되지 않습니다
sig-reason-not-base64 = 서명이 base64가 아닙니다
sig-reason-payload-not-json = 페이로드가 simple-signing JSON 문서가 아닙니다
sig-reason-no-key = 주어진 키가 없습니다. 서명이 주장하는 대상: { $claimed }
sig-reason-no-key-matches = 이 종류의 키가 주어지지 않았습니다. 서명이 주장하는 대상: { $claimed }
sig-reason-keyless-not-checked = 키 없는 서명: { $identity }(OIDC 발급자 { $issuer })(으)로 서명됨. 투명성 로그와 인증서 체인은 확인하지 않았습니다
sig-reason-certificate-unreadable = 인증서를 해석할 수 없습니다
sig-reason-notation-not-checked = notation 서명은 확인하지 않습니다. 서명자 { $subject }, 발급자 { $issuer }, 유효 기간 { $from } ~ { $until }
sig-reason-notation-cose = COSE 봉투의 notation 서명. 확인하지 않았습니다
sig-reason-bundle-not-checked = Sigstore 번들은 확인하지 않습니다
sig-reason-unreadable = 읽을 수 없습니다
sig-unknown = 알 수 없음
sig-badge-verified = { $key }(으)로 서명 검증됨
sig-badge-invalid = 무효한 서명
sig-badge-unverified = 서명됨, 검증 안 됨
sig-badge-unsigned = 서명 없음
sig-badge-checking = 서명 확인 중…
sig-badge-failed = 서명을 찾지 못했습니다: { $reason }
sig-list-title = 서명
sig-list-none = 서명이 없습니다(.sig 태그와 리퍼러를 확인함).
sig-col-state = 상태
sig-col-kind = 종류
sig-col-who = 키 또는 신원
sig-col-reason = 이유
sig-settings-keys = 서명 키 (PEM 공개 키, 한 줄에 경로 하나)
sig-settings-keys-hint = 모든 레지스트리에 쓰는 키입니다. 저장된 레지스트리마다 키를 더할 수 있습니다.
sig-settings-apply = 이 키 사용
sig-settings-registry-keys = { $registry }의 서명 키
cli-inspect-signatures = 서명: { $summary }
cli-verify-line = { $state } { $kind }: { $reason }
cli-verify-ok = { $key }(으)로 검증되었습니다.
cli-verify-none-found = { $reference }의 서명이 없습니다(.sig 태그와 리퍼러를 확인함).
cli-verify-invalid = 검증되지 않음: 무효한 서명이 있습니다: { $reason }
cli-verify-no-key = 검증되지 않음: 주어진 키가 없습니다(--key FILE 또는 설정을 쓰세요).
cli-verify-no-match = 검증되지 않음: 서명 { $count }개 중 주어진 키로 확인되는 것이 없습니다.
trust-error-key-read = 키 파일 { $path }을(를) 읽을 수 없습니다: { $reason }
trust-error-key-not-pem = { $path }에 PEM 공개 키(-----BEGIN PUBLIC KEY-----)가 없습니다.
trust-error-key-unsupported = { $path }의 키는 { $algorithm }입니다. Berth는 ECDSA P-256·P-384, RSA, Ed25519 키를 확인합니다.
## issue 23: untag (remove one tag only)
error-tag-remained = 레지스트리가 태그 제거를 받아들였지만 { $reference }은(는) 여전히 { $digest }를 가리킵니다.
error-untag-disturbed = { $reference }을(를) 제거하면서 같은 이미지의 다른 태그 { $count }개도 바뀌었습니다: { $tags }. 이 레지스트리는 태그보다 많은 것을 삭제했으며, 이는 distribution 명세에 어긋납니다. 해당 태그를 확인하고 필요하면 다시 푸시하세요.
error-placeholder-left = { $reference }이(가) 이제 Berth의 임시 매니페스트 { $placeholder }를 가리키며, 이를 삭제하지 못했습니다: { $reason }
untag-method = { $method ->
    [tag_delete] 방법: 레지스트리가 태그를 직접 제거합니다(태그 DELETE).
   *[placeholder] 방법: 이 레지스트리는 다이제스트로만 삭제하므로, Berth가 잠시 태그를 작은 임시 매니페스트로 바꾼 뒤 그것을 삭제합니다. 레지스트리에 잠깐 쓰기가 일어납니다.
}
untag-probing = 레지스트리가 태그를 어떻게 제거하는지 확인하는 중…
cli-untag-confirm = 이 태그들을 제거할까요? [y/N]
cli-untag-digest = 이미지 { $digest }
cli-untag-no-siblings = 이 이미지를 가리키는 다른 태그가 없습니다. 태그를 제거하면 이미지에 태그가 남지 않습니다.
cli-untag-siblings = 같은 이미지에 남는 태그({ $count }개): { $tags }
cli-untag-done = { $reference } 제거함
cli-untag-failed = { $reference } 제거 못 함: { $reason }
cli-untag-some-failed = 태그 { $count }개를 제거하지 못했습니다.
tag-untag-confirm = 이 태그만 제거
tag-untag-stays = { $count ->
    [0] 이 이미지를 가리키는 다른 태그가 없습니다.
   *[other] 남는 태그: 이 이미지의 다른 태그 { $count }개
}
tag-delete-image = 이미지 삭제(태그 { $count }개)
tags-untag-marked = 선택한 태그만 제거
## issue 20: attestations, SBOMs, provenance (Trust tab, berth sbom)
trust-error-too-large = { $what }의 크기가 { $limit }를 넘습니다. Berth는 SBOM이나 증명을 그 크기까지만 읽습니다.
trust-error-not-json = { $what }은(는) JSON이 아닙니다: { $reason }
trust-error-not-sbom = { $what }은(는) SPDX 문서도 CycloneDX 문서도 아닙니다.
trust-error-not-sbom-predicate = { $what }은(는) SBOM이 아닙니다. 프레디케이트 유형: { $found }
trust-error-bad-envelope = { $what }: DSSE 봉투의 페이로드가 base64가 아닙니다 ({ $reason }).
trust-error-no-sbom = SBOM을 찾지 못했습니다. 찾아본 곳: { $looked }
cli-sbom-heading = { $format }, 패키지 { $count }개 (이름, 버전, 유형, 라이선스, PURL):
cli-trust-attestations = 증명 ({ $count }):
cli-trust-sboms = 찾은 SBOM: { $count }
cli-trust-provenance = 출처 증명:
cli-trust-problem = 읽지 못함: { $reason }
trust-builder = 빌더
trust-source = 소스
trust-revision = 리비전
trust-entry-point = 진입점
trust-build-arg = 빌드 인자
tab-trust = 신뢰
trust-local-title = 신뢰 정보는 레지스트리에서 읽습니다
trust-local-body = 로컬 저장소에는 증명이나 SBOM이 없습니다. 레지스트리에서 이미지를 열어 확인하세요.
trust-reading = 증명과 SBOM을 찾는 중…
trust-problem = 읽지 못함: { $reason }
trust-attestations = 증명 ({ $count })
trust-attestations-none = 찾은 증명이 없습니다.
trust-found-buildkit = 빌드
trust-found-cosign = cosign
trust-found-referrer = 참조
trust-provenance = 출처 증명 (SLSA)
trust-sbom = SBOM
trust-sbom-none = 이 이미지의 SBOM을 찾지 못했습니다.
trust-sbom-which = SBOM
trust-sbom-number = SBOM { $number }
trust-sbom-reading = SBOM을 읽는 중…
trust-sbom-filter = 패키지 필터
trust-sbom-count = 패키지 { $count }개
trust-sbom-count-filtered = 패키지 { $count }개 중 { $shown }개
trust-sbom-save = SBOM 저장…
trust-sbom-save-to = SBOM 저장 위치
trust-sbom-save-hint = /경로/sbom.json
trust-sbom-save-now = 저장
trust-sbom-saved = { $path }에 저장했습니다
trust-sbom-save-failed = 저장하지 못함: { $reason }
trust-sbom-col-name = 이름
trust-sbom-col-version = 버전
trust-sbom-col-type = 유형
trust-sbom-col-license = 라이선스
trust-sbom-col-purl = PURL
## issue 23: sorting tags by date and size
tags-facts-progress = 태그 { $total }개 중 { $known }개의 날짜와 크기를 확인함
tags-facts-cancel = 취소
## issue 23: clean up by rule (retain)
retain-field-match = 다음 패턴과 일치하는 태그만
retain-field-exclude = 다음 패턴과 일치하는 태그는 건드리지 않음
retain-error-invalid-glob = { $field }: “{ $pattern }”은(는) 올바른 패턴이 아닙니다({ $reason }).
retain-error-untagged-not-listable = { $registry }은(는) 태그 없는 매니페스트를 나열할 수 없습니다. 레지스트리 API는 태그만 나열하므로 태그 없는 매니페스트는 그대로 두었습니다.
retain-reason-newest = 최신 항목 중 하나
retain-reason-not-matched = 패턴과 일치하지 않음
retain-reason-excluded = 건드리지 않음(제외 패턴)
retain-reason-too-recent = 충분히 오래되지 않음
retain-reason-no-date = 유지: 생성 날짜 없음
retain-reason-no-semver = 유지: 시맨틱 버전이 아님
retain-estimate = 이 저장소에서 최대 { $size }가 확보됩니다(블롭이 다른 저장소와 공유될 수 있음). 레지스트리는 가비지 컬렉션이 실행될 때에만 공간을 확보합니다.
cli-retain-delete = 삭제될 태그({ $count }개):
cli-retain-untagged = (태그 없음)
cli-retain-no-date = (날짜 없음)
cli-retain-going-along = { $tag }도 함께 삭제됩니다: { $digest }를 공유합니다
cli-retain-protected = 보호됨: 규칙에 따라 선택되었지만 유지되는 태그가 같은 다이제스트를 가리킵니다({ $count }개):
cli-retain-protected-by = { $tag }  { $digest }  { $because }이(가) 보호함
cli-retain-keep = 유지되는 태그({ $count }개):
cli-retain-nothing = 삭제할 것이 없습니다.
cli-retain-confirm-all = --keep 0: 규칙에 해당하는 모든 태그({ $count }개)가 삭제됩니다. 모두 삭제할까요? [y/N]
cli-retain-failed = 삭제 { $count }건 중 { $failed }건이 실패했습니다.
## issue 21: save and extract
jobs-kind-extract = 추출 { $source } → { $dest }
extract-summary = { $dest }: 파일 { $files }개 ({ $bytes }), 건너뜀 { $skipped }개
extract-skipped-line = 건너뜀 { $path }: { $reason }
extract-error-not-found = { $path }이(가) 이미지에 없습니다.
extract-error-removed = { $path }은(는) 레이어 { $layer }에서 삭제되었습니다.
extract-error-no-layer = 이미지의 레이어는 { $count }개입니다. 레이어 { $n }은(는) 없습니다.
extract-error-not-a-directory = { $path }은(는) 폴더가 아닙니다.
extract-error-write = { $path }에 쓸 수 없습니다: { $reason }
extract-error-hash = { $path }이(가) 목록에 기록된 SHA-256과 일치하지 않아 남기지 않았습니다.
extract-error-missing = 레이어 { $layer }에서 { $path }을(를) 찾지 못했습니다.
extract-error-worker = 추출이 예기치 않게 멈췄습니다: { $reason }
extract-skip-absolute_path = 이름이 절대 경로입니다
extract-skip-parent_component = 이름에 ".."가 들어 있습니다
extract-skip-parent_is_symlink = 상위 폴더가 심볼릭 링크입니다
extract-skip-parent_missing = 상위 폴더가 폴더가 아닙니다
extract-skip-occupied = 그 이름에 이미 폴더가 있습니다
extract-skip-link_target_missing = 하드 링크의 대상이 추출되지 않았습니다
extract-skip-special = 장치 파일과 파이프는 만들지 않습니다
files-save = 저장…
files-save-folder = 폴더 저장…
files-save-as-tree = 폴더 구조 그대로
files-save-as-tar = tar 파일로
files-save-path = 저장 위치
files-save-into = 저장할 폴더
files-save-start = 저장
files-save-cancel = 취소
files-save-from-merged = 합쳐진 파일 시스템에서 (모든 레이어)
files-save-from-layer = 레이어 { $n }에서만
files-save-upto = 저장은 이미지 전체나 레이어 하나에서 읽습니다. 마지막 레이어나 "레이어 …만"을 고르세요.
files-save-select = 저장할 파일이나 폴더를 선택하세요.
jobs-extract-skipped = 항목 { $count }개를 건너뛰었습니다
## issue 21: file viewer
file-error-not-found = { $path }: 이미지에 그런 파일이 없습니다.
file-error-is-directory = { $path }은(는) 파일이 아니라 디렉터리입니다.
file-error-whited-out = { $path }은(는) 레이어 { $layer }에서 삭제되었습니다.
file-error-no-such-layer = 레이어 { $n }이(가) 없습니다: 이미지의 레이어는 { $count }개입니다.
file-error-link-loop = { $path }: 심볼릭 링크가 순환하거나 { $hops }단계보다 깊습니다.
file-error-mismatch = { $path }(레이어 { $layer })이(가) 목록과 다릅니다: sha256이 { $expected }가 아니라 { $actual }입니다.
file-error-entry-missing = { $path }(레이어 { $layer })이(가) 목록에는 있지만 레이어 blob에서 찾을 수 없습니다.
file-error-write = 파일 내용을 쓸 수 없습니다: { $reason }
## wave house: all referrers in the Trust tab, the jobs panel
trust-referrers = 모든 참조
trust-referrers-count = 모든 참조 ({ $count })
jobs-hide = 숨기기
## issue 23: Clean up… dialog
tags-cleanup = 정리…
cleanup-title = { $repository } 정리
cleanup-field-keep = 최신 항목 유지 개수
cleanup-field-by = 최신 기준
cleanup-by-date = 생성 날짜
cleanup-by-semver = 시맨틱 버전
cleanup-field-older = 다음 일수보다 오래된 태그만
cleanup-older-hint = 기간 제한 없음
cleanup-glob-hint = 모든 태그
cleanup-field-untagged = 레지스트리가 나열할 수 있으면 태그 없는 매니페스트도 포함
cleanup-error-number = “{ $text }”은(는) 정수가 아닙니다.
cleanup-explain = 미리 보기를 확인하고 승인하기 전에는 아무것도 삭제되지 않습니다.
cleanup-progress-listing = 태그 목록을 가져오는 중…
cleanup-progress-digests = 태그 { $total }개 중 { $known }개의 다이제스트 확인
cleanup-progress-dates = 이미지 { $total }개 중 { $known }개의 날짜와 크기 확인
cleanup-stop = 읽기 중지
cleanup-stopped = 태그 읽기를 중지했습니다: 미리 보기가 없으며 아무것도 삭제되지 않았습니다.
cleanup-nothing = 삭제할 것이 없습니다: 모든 태그가 유지됩니다.
cleanup-delete-heading = 삭제할 태그: { $count }개 (이미지 { $images }개)
cleanup-protected-heading = 보호됨: 규칙에 따라 선택되었지만 유지되는 태그가 같은 이미지를 가리킵니다 ({ $count })
cleanup-keep-heading = 유지 ({ $count })
cleanup-row-delete = { $tag }  sha256:{ $digest }  { $date }
cleanup-row-along = ↳ { $tag }도 함께 삭제됨: sha256:{ $digest }를 공유합니다
cleanup-row-protected = { $tag }  sha256:{ $digest }  { $because }이(가) 보호함
cleanup-row-kept = { $tag }  { $date }  { $reason }
cleanup-untagged = (태그 없음)
cleanup-no-date = 날짜 없음
cleanup-confirm-all = 예, 일치하는 모든 태그를 삭제합니다
cleanup-preview = 미리 보기
cleanup-delete = 태그 { $count }개 삭제
## issue 21: file viewer panel (Files tab)
viewer-back = ← 트리로 돌아가기
viewer-reading = 파일을 읽는 중…
viewer-from-layer = 레이어 { $n }에서 온 파일
viewer-layer-version = 레이어 { $n }의 버전
viewer-verified = SHA-256 확인됨
viewer-part = { $size } 중 처음 { $shown }
viewer-load-more = 더 불러오기
viewer-symlink = { $target }(으)로 가는 심볼릭 링크
viewer-follow = 따라가기
viewer-hardlink = { $target }의 하드 링크입니다. 그 내용을 보여 줍니다.
viewer-no-bytes = 이 항목에는 보여 줄 내용이 없습니다.
viewer-versions = 버전:
viewer-version = 레이어 { $n } · { $size }
viewer-version-removed = 레이어 { $n } · 삭제됨
viewer-wrap = 줄 바꿈
viewer-find = 찾기
viewer-find-hint = 파일 안의 텍스트
viewer-find-previous = 이전 일치 항목
viewer-find-next = 다음 일치 항목 (Enter)
viewer-find-count = { $count }개 중 { $n }번째
viewer-find-none = 일치 항목 없음
viewer-picture = 그림: { $name }
viewer-picture-size = { $width } × { $height } 픽셀
viewer-picture-broken = 이 그림을 표시할 수 없습니다: { $reason }

## issue 23 follow-up: sorting tags, a stopped fill
tags-facts-stopped = 중지됨: 태그 { $total }개 중 { $known }개의 날짜와 크기를 확인함 (열을 다시 누르면 계속)
tags-created-newest = { $date }, 플랫폼 { $count }개 중 가장 최근 (정렬 기준)

## issue 23 follow-up: tags rows from the facts store, untag wording, fill errors
jobs-kind-untag = 태그 제거 { $source }
jobs-untag-item-ok = 태그 { $reference } 제거함, 이미지는 그대로 남음
jobs-untag-item-failed = { $reference } 제거 못 함: { $reason }
tags-facts-failed = 날짜와 크기 확인이 중단됨: { $error } (열을 다시 누르면 다시 시도)
## wave files: Files tab toolbar, merged tree, trust and sidebar wording
files-mode-merged-short = { $n ->
    [1] 레이어 1
   *[other] 레이어 1–{ $n }
}
files-menu = 트리 옵션
files-menu-tooltip = 트리 정렬, 모든 폴더 펼치기와 접기
files-menu-tooltip-save = 선택한 항목 저장, 트리 정렬, 모든 폴더 펼치기와 접기
files-replaced = { $kind ->
    [symlink] 레이어 { $n }의 심볼릭 링크를 대체했습니다: 이 레이어가 이 경로를 디렉터리로 만들었습니다.
    [file] 레이어 { $n }의 파일을 대체했습니다: 이 레이어가 이 경로를 디렉터리로 만들었습니다.
   *[other] 레이어 { $n }의 디렉터리가 아닌 항목을 대체했습니다: 이 레이어가 이 경로를 디렉터리로 만들었습니다.
}
files-replaced-short = { $kind ->
    [symlink] 레이어 { $n }의 심볼릭 링크를 대체함
    [file] 레이어 { $n }의 파일을 대체함
   *[other] 레이어 { $n }의 디렉터리가 아닌 항목을 대체함
}
trust-looked-index = { $index }의 증명 매니페스트
trust-looked-referrers = { $subject }의 참조 ({ $by ->
    [api] 참조 API
    [fallback] 대체 태그
   *[none] 참조 API와 대체 태그 모두 없음
})
trust-looked-tag = { $present ->
    [yes] 태그 { $tag }
   *[no] 태그 { $tag } (없음)
}
