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
tags-sort-tooltip = 순서 뒤집기
tags-shared-tooltip = 다이제스트가 같은 태그: { $tags }
kind-image = 이미지
kind-index = 인덱스
kind-index-artifacts = 아티팩트 { $count }개의 인덱스
kind-index-platforms = 인덱스, 플랫폼 { $count }개
kind-artifact = 아티팩트
kind-artifact-type = 아티팩트 ({ $artifact_type })
size-exact = { $bytes }바이트

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
tab-referrers = 참조
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
overview-platforms = 플랫폼
overview-platforms-hint = 이 참조는 인덱스입니다. 다른 탭에서 볼 플랫폼을 고르세요.
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
referrers-none-title = 참조 없음
referrers-none-body = 이 이미지를 참조하는 서명, SBOM, 증명이 없습니다.
referrers-untyped = (아티팩트 유형 없음)
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
dialog-insecure = TLS 검증 건너뛰기
dialog-insecure-warning = 이 레지스트리와 주고받는 데이터(비밀번호 포함)를 네트워크의 다른 사람이 보거나 바꿀 수 있습니다.
dialog-ca-file = CA 파일
dialog-ca-file-hint = /path/to/ca.pem
dialog-ca-pick-title = CA 인증서 선택
dialog-browse = 찾아보기…
dialog-credentials-note = 비워 두면 Docker나 Podman에 저장된 자격 증명을 사용합니다.
dialog-username = 사용자 이름
dialog-password = 비밀번호
dialog-test = 연결 테스트
dialog-testing = 테스트 중…
dialog-test-ok = 연결되었습니다. 레지스트리가 응답했고 자격 증명을 받아들였습니다.
dialog-save = 저장
dialog-cancel = 취소
dialog-remove = 삭제
dialog-invalid-url = "{ $url }"은(는) 레지스트리 주소가 아닙니다. host:port 형식을 쓰고, 일반 HTTP라면 http://host:port를 쓰세요.
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

## 오류 (레지스트리 오류 종류마다 하나)
error-invalid-reference = 올바른 이미지 참조가 아닙니다: { $input }
error-unreachable = { $registry }에 연결할 수 없습니다: { $reason }
error-tls = { $registry }와(과)의 보안 연결에 실패했습니다: { $reason }
error-untrusted-certificate = { $registry }의 인증서를 신뢰할 수 없습니다: { $reason }
error-unauthorized = { $registry }에서 자격 증명을 거부했거나 로그인이 필요합니다.
error-denied = { $registry }에서 { $what }에 대한 접근을 거부했습니다.
error-not-found = 찾을 수 없습니다: { $what }
error-catalog-unsupported = { $registry }는 저장소 목록을 제공하지 않습니다. 저장소 이름으로 여세요.
error-delete-disabled = { $registry }에서 삭제 기능이 꺼져 있습니다.
error-delete-by-digest-only = { $registry }는 다이제스트로만 이미지를 삭제합니다. 그 다이제스트를 가리키는 태그가 모두 함께 삭제됩니다.
error-rate-limited = { $registry }에서 요청 횟수를 제한하고 있습니다{ $retry ->
    [-1] .
   *[other] . { $retry }초 뒤에 다시 시도하세요.
}
error-http-status = { $registry }가 { $what } 요청에 HTTP { $status }(으)로 응답했습니다.
error-digest-mismatch = { $what }의 다이제스트가 맞지 않습니다. 예상 { $expected }, 실제 { $actual }
error-size-mismatch = { $what }의 크기가 맞지 않습니다. 예상 { $expected }바이트, 실제 { $actual }바이트
error-too-large = { $what }이(가) 한도({ $limit })보다 큽니다.
error-invalid-content = { $what }의 내용이 올바르지 않습니다: { $reason }
error-platform-not-found = { $wanted } 플랫폼용 이미지가 없습니다. 사용 가능: { $available }
error-token-failed = { $realm }에서 토큰을 받지 못했습니다: { $reason }
error-credentials = 저장된 자격 증명을 읽을 수 없습니다: { $reason }
error-protocol = { $registry }의 응답을 이해할 수 없습니다: { $reason }
error-cancelled = 취소되었습니다.

## CLI: 오류 뒤에 할 일 (명령줄)
cli-hint-untrusted-certificate = --ca FILE로 CA를 지정하거나(레지스트리에 저장한 CA 파일도 됩니다), --insecure로 인증서 검증을 건너뛰세요.
cli-hint-tls = 레지스트리가 일반 HTTP를 쓴다면 http://HOST 또는 --plain-http를 사용하세요.
cli-hint-unauthorized = `berth login HOST`로 로그인하거나 --user와 --password-stdin을 함께 지정하세요.
cli-hint-delete-disabled = 레지스트리 설정에서 삭제를 켜고(storage.delete.enabled: true) 레지스트리를 다시 시작하세요.
cli-hint-platform-not-found = --platform으로 하나를 고르세요.
cli-hint-rate-limited = 로그인하면 한도가 늘어납니다. 아니면 잠시 뒤에 다시 시도하세요.
cli-hint-unreachable = 주소와 네트워크를 확인한 뒤 다시 시도하세요.
## CLI 출력
cli-rm-tags-going = 함께 삭제되는 태그({ $count }개):
cli-rm-no-tags = (이 다이제스트를 가리키는 태그가 없습니다)
cli-rm-confirm = 삭제할까요? [y/N]
cli-rm-not-deleted = 삭제하지 않았습니다.
cli-rm-needs-yes = 확인 없이는 삭제하지 않습니다. --yes를 지정하세요(목록만 보려면 --dry-run).
cli-rm-deleted = 삭제했습니다. 저장 공간은 레지스트리의 가비지 컬렉션이 실행된 뒤에 확보됩니다.
cli-rm-sweeping = 같은 다이제스트를 가리키는 태그를 확인하는 중
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
cli-inspect-layers = 레이어({ $count }개):
