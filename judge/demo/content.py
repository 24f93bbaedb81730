"""What the demo competition contains: its texts, accounts, sponsors, problems and teams.

Plain data, so the builder stays a list of short steps. Every company,
person and school here is fictional (KAIST Vision is just a team name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from judge.demo import datasets
from judge.problems.models import SplitMethod

SLUG = "ai-innovation-2026"
TITLE = "AI Innovation Challenge 2026"
TIMEZONE = "Asia/Seoul"
MAX_TEAM_SIZE = 4
DAILY_LIMIT = 5
MAX_FINAL_SELECTIONS = 2

GRADUATE, UNDERGRADUATE = "대학원", "학부"


@dataclass(frozen=True)
class Account:
    key: str
    email: str
    name: str
    role: str  # shown in the login summary
    affiliation: str = ""
    admin: bool = False


@dataclass(frozen=True)
class ProblemSpec:
    slug: str
    title: str
    description: str
    metric: str
    data: Callable[[], datasets.ProblemData]
    split: dict[str, Any]
    file_descriptions: dict[str, str] = field(default_factory=dict)
    program: str | None = None  # a folder under judge/demo/programs: the sponsor's scorer
    starter_code: str | None = None  # a folder there: teams submit code, starting from this
    columns: tuple[dict[str, Any], ...] = ()
    metric_options: dict[str, Any] | None = None


@dataclass(frozen=True)
class SponsorSpec:
    name: str
    website: str
    description: str
    member: str  # an Account key
    problems: tuple[ProblemSpec, ...]


@dataclass(frozen=True)
class TeamSpec:
    name: str
    division: str
    members: tuple[str, ...]  # Account keys, the leader first


DESCRIPTION = """\
## 2026 인공지능 혁신 챌린지

산업 현장의 실제 문제를 인공지능으로 해결하는 경진대회입니다. 후원기업 세 곳이
현장 데이터로 과제 네 개를 출제하고, **대학원 부문**과 **학부 부문**을 나누어 평가하고 시상합니다.

- **1차 평가 (예선)** — 온라인 리더보드. 퍼블릭 리더보드는 테스트 데이터의 약 30%로,
  최종 순위는 나머지 약 70%의 프라이빗 점수로 정합니다.
- **2차 평가 (본선)** — 부문별 상위 팀의 코드 검증(재현), 결과 보고서, 발표평가.

| 시상 (부문별) | 팀 수 | 상금 |
|---|---|---|
| 대상 | 1 | 1,000만 원 |
| 최우수상 | 1 | 500만 원 |
| 우수상 | 2 | 각 300만 원 |
| 장려상 | 3 | 각 100만 원 |

> 이 대회는 judge 플랫폼을 둘러보기 위한 **가상의 데모 대회**입니다.

---

## AI Innovation Challenge 2026

A competition on real industrial problems. Three sponsoring companies pose four problems
on their field data; teams compete in a **graduate** and an **undergraduate** division,
each ranked and awarded separately.

- **Preliminary round** — the online leaderboard. The public board uses about 30% of the
  test data; the final ranking uses the private score on the other 70%.
- **Final round** — code verification (reproduction) of the top teams, a written report
  and a presentation judged by experts.

Prizes per division: grand prize 10,000,000 KRW, top excellence 5,000,000 KRW,
two excellence prizes of 3,000,000 KRW, three encouragement prizes of 1,000,000 KRW.

> This is a **fictional demo competition** for trying out the judge platform.
"""

RULES = """\
## 대회 규칙

1. **1인 1팀** — 한 사람은 이 대회에서 한 팀에만 소속될 수 있습니다. 팀은 최대 4명입니다.
2. **팀 변경** — 팀 구성, 팀원 변경, 팀 병합은 팀 변경 마감일까지만 가능합니다.
3. **제출 횟수** — 과제마다 팀당 하루 5회까지 제출할 수 있습니다.
4. **최종 제출 선택** — 과제마다 최대 2개의 제출을 최종 제출로 선택하며,
   프라이빗 리더보드는 선택한 제출로 순위를 정합니다.
5. **외부 데이터** — 누구나 자유롭게 쓸 수 있는 공개 데이터와 사전학습 모델만 허용하며,
   사용한 경우 보고서에 밝혀야 합니다. 테스트 데이터에 직접 라벨을 붙이는 것은 금지입니다.
6. **공유 금지** — 팀 밖으로 코드나 예측 결과를 비공개로 공유할 수 없습니다.
7. **코드 검증** — 부문별 상위 팀은 결과를 재현할 수 있는 코드와 보고서를 제출해야 합니다.
   제출한 코드로 프라이빗 점수가 재현되지 않으면 실격될 수 있습니다.

## Rules

1. **One team per person** — each person belongs to at most one team in this competition.
   Teams have at most 4 members.
2. **Team changes** — forming, changing and merging teams closes at the team-change deadline.
3. **Daily limit** — each team may submit 5 times per problem per day.
4. **Final selection** — select up to 2 submissions per problem; the private leaderboard
   ranks the selected ones.
5. **External data** — only data and pre-trained models freely available to everyone,
   declared in the report. Hand-labelling the test data is forbidden.
6. **No private sharing** — no sharing of code or predictions outside your team.
7. **Code verification** — the top teams of each division hand in code and a report that
   reproduce their result; a private score that cannot be reproduced may lead to
   disqualification.
"""

DIVISIONS = (
    (GRADUATE, "대학원 재학생(석사·박사 과정) / Graduate students (master's or doctoral)"),
    (UNDERGRADUATE, "학부 재학생 / Undergraduate students"),
)

FILE_DESCRIPTIONS = {
    "train.csv": "학습 데이터 (정답 포함) / Training data with the target",
    "test.csv": "테스트 데이터 (정답 없음) / Test data without the target",
    "sample_submission.csv": "제출 양식 / Sample submission in the expected format",
    "starter_code.zip": "코드 제출 예시 / Starter code for a code submission",
}

BREAST_CANCER = ProblemSpec(
    slug="breast-cancer-diagnosis",
    title="유방 종양 악성 판별 / Breast tumour malignancy",
    metric="roc_auc",
    data=datasets.breast_cancer,
    split={"split_method": SplitMethod.FRACTION, "public_fraction": 0.3},
    description="""\
## 과제 설명

세침흡인 검사(FNA) 영상에서 측정한 세포핵의 특징 30가지로 종양이 **악성일 확률**을 예측합니다.

- `train.csv` — `id`, 특징 30개, 정답 `malignant` (악성 1, 양성 0)
- `test.csv` — `id`와 특징 30개 (정답 없음)
- `sample_submission.csv` — 제출 양식

**평가 지표**: ROC AUC (높을수록 좋음). `malignant` 열에 0과 1 사이의 확률을 제출하세요.

---

## Task

Predict the **probability that a tumour is malignant** from 30 features of cell nuclei
measured on fine-needle aspirate images.

- `train.csv` — `id`, 30 features and the target `malignant` (1 malignant, 0 benign)
- `test.csv` — `id` and the 30 features (no target)
- `sample_submission.csv` — the submission format

**Metric**: ROC AUC (higher is better). Submit a probability between 0 and 1 in `malignant`.

*Data: Breast Cancer Wisconsin (Diagnostic), as bundled with scikit-learn.*
""",
)

DIGITS = ProblemSpec(
    slug="part-digit-recognition",
    title="부품 각인 숫자 인식 / Stamped digit recognition",
    metric="f1_macro",
    data=datasets.digits,
    split={"split_method": SplitMethod.FRACTION, "public_fraction": 0.3},
    program="digits_scorer",
    columns=(
        {"key": "f1_macro", "label": "Macro F1", "higher_is_better": True, "precision": 4},
        {
            "key": "worst_recall",
            "label": "최저 재현율 / Worst recall",
            "higher_is_better": True,
            "precision": 4,
        },
        {"key": "accuracy", "label": "정확도 / Accuracy", "higher_is_better": True, "precision": 4},
    ),
    description="""\
## 과제 설명

생산 라인의 카메라가 부품에 각인된 숫자를 8×8 흑백 영상(밝기 0–16)으로 찍습니다.
영상의 숫자(0–9)를 맞히세요.

- `train.csv` — `id`, 픽셀 64개(`pixel_행_열`), 정답 `digit`
- `test.csv` — `id`와 픽셀 64개 (정답 없음)
- `sample_submission.csv` — 제출 양식

**평가 지표**: Macro F1 (높을수록 좋음). `digit` 열에 0–9의 정수를 제출하세요.
세종스마트팩토리의 채점 프로그램이 채점하며, 동점이면 가장 낮은 숫자별 재현율이 높은 팀이
앞섭니다 (잘못 읽은 숫자 하나가 라인을 멈추게 하므로).

---

## Task

A camera on the production line photographs the digit stamped on each part as an 8×8
grey image (intensity 0–16). Predict the digit (0–9).

- `train.csv` — `id`, 64 pixels (`pixel_row_col`) and the target `digit`
- `test.csv` — `id` and the 64 pixels (no target)
- `sample_submission.csv` — the submission format

**Metric**: macro F1 (higher is better). Submit an integer 0–9 in `digit`. 세종스마트팩토리's
own scoring program scores it; equal scores go to the better worst per-digit recall (one
misread digit stops the line).

*Data: the UCI optical recognition of handwritten digits set, as bundled with scikit-learn.*
""",
)

DIABETES = ProblemSpec(
    slug="disease-progression",
    title="당뇨 진행도 예측 / Diabetes progression",
    metric="rmse",
    data=datasets.diabetes,
    split={"split_method": SplitMethod.USAGE_COLUMN},
    starter_code="diabetes_starter",
    description="""\
## 과제 설명

환자의 나이, 성별, 체질량지수(BMI), 평균 혈압과 혈액 검사 수치 6가지(`s1`–`s6`)로
**1년 뒤 당뇨 진행도**(정량 지표)를 예측합니다.

- `train.csv` — `id`, 특징 10개, 정답 `progression`
- `starter_code.zip` — 제출할 코드의 예시 (`metadata.yaml`과 `predict.py`)
- `sample_submission.csv` — 코드가 만들어야 할 `predictions.csv`의 양식

**코드 제출 과제입니다.** 테스트 데이터는 공개되지 않습니다. 학습한 모델을 코드와 함께 zip으로
묶어 제출하면, 플랫폼이 네트워크 없는 샌드박스에서 비공개 `test.csv`에 대해 실행하고
`$output/predictions.csv`를 채점합니다.

**평가 지표**: RMSE (낮을수록 좋음).

---

## Task

Predict a quantitative measure of **disease progression one year later** from age, sex,
body-mass index, average blood pressure and six blood serum measurements (`s1`–`s6`).

- `train.csv` — `id`, 10 features and the target `progression`
- `starter_code.zip` — example code to submit (`metadata.yaml` and `predict.py`)
- `sample_submission.csv` — the format of the `predictions.csv` your code writes

**This problem takes code.** The test data stays hidden: zip your trained model with your
code and submit it; the platform runs it on the hidden `test.csv` in a sandbox without
network and scores the `$output/predictions.csv` it writes.

**Metric**: RMSE (lower is better).

*Data: the diabetes data of Efron et al. (2004), as bundled with scikit-learn.*
""",
)

STEEL_DEFECTS = ProblemSpec(
    slug="steel-defect-segmentation",
    title="강판 표면 결함 분할 / Steel surface defect segmentation",
    metric="dice_rle",
    metric_options={"height": datasets.SIDE, "width": datasets.SIDE},
    data=datasets.steel_defects,
    split={"split_method": SplitMethod.FRACTION, "public_fraction": 0.3},
    description="""\
## 과제 설명

압연 라인의 카메라가 강판 표면을 32×32 흑백 영상(밝기 0–15)으로 찍습니다. 긁힘이나 움푹 팬
자국 같은 결함은 주변보다 어둡게 보입니다. 영상마다 **결함 픽셀의 마스크**를 예측하세요.
결함이 없는 영상도 있습니다.

- `train.csv` — `id`, 픽셀 1,024개(`pixel_행_열`), 정답 `mask`
- `test.csv` — `id`와 픽셀 1,024개 (정답 없음)
- `sample_submission.csv` — 제출 양식. 밝기 7 미만인 픽셀을 모두 결함으로 본 출발점입니다.

**마스크 형식 (RLE)**: 시작 픽셀과 길이의 쌍을 공백으로 구분해 씁니다 (`1 3 10 5`는 1–3번,
10–14번 픽셀). 픽셀 번호는 1부터, 열마다 위에서 아래로 센 뒤 다음 열로 넘어갑니다
(열 우선). 구간은 시작 픽셀 순서로, 겹치지 않게 씁니다. 결함이 없으면 빈 값을 제출하세요.

**평가 지표**: Dice (높을수록 좋음) — 영상마다 2|A∩B| / (|A| + |B|)를 구해 평균합니다.
정답과 예측이 모두 비어 있는 영상은 1점입니다.

---

## Task

A camera on the rolling line photographs the steel surface as 32×32 grey images
(brightness 0–15). Defects such as scratches and pits look darker than the surface around
them. Predict the **mask of the defect pixels** of each image; some images have no defect.

- `train.csv` — `id`, 1,024 pixels (`pixel_row_col`) and the target `mask`
- `test.csv` — `id` and the 1,024 pixels (no target)
- `sample_submission.csv` — the submission format; a starting point that marks every pixel
  darker than 7 as a defect

**Mask format (RLE)**: pairs of a start pixel and a run length separated by spaces
(`1 3 10 5` is pixels 1–3 and 10–14). Pixels are numbered from 1 down each column, then
across (column-major); runs go in order of their start and do not overlap. Leave the value
empty for an image without a defect.

**Metric**: Dice (higher is better) — 2|A∩B| / (|A| + |B|) per image, averaged over the
images; an image empty in both the truth and the prediction counts 1.

*Data: synthetic surfaces drawn with numpy from a fixed seed.*
""",
)

SPONSORS = (
    SponsorSpec(
        name="한빛의료AI",
        website="https://hanbit-medical-ai.example",
        description="의료 영상 판독 보조 AI를 만드는 회사 / AI that helps read medical images",
        member="sponsor1",
        problems=(BREAST_CANCER,),
    ),
    SponsorSpec(
        name="세종스마트팩토리",
        website="https://sejong-smartfactory.example",
        description="제조 공정 자동화와 비전 검사 / Factory automation and visual inspection",
        member="sponsor2",
        problems=(DIGITS, STEEL_DEFECTS),
    ),
    SponsorSpec(
        name="누리생명",
        website="https://nuri-life.example",
        description="건강 위험 예측에 AI를 쓰는 보험사 / An insurer predicting health risks",
        member="sponsor3",
        problems=(DIABETES,),
    ),
)

TEAMS = (
    TeamSpec("KAIST Vision", GRADUATE, ("participant1", "participant2")),
    TeamSpec("딥러닝연구회", UNDERGRADUATE, ("participant3", "participant4")),
    TeamSpec("데이터새싹", UNDERGRADUATE, ("participant5", "participant6")),
)

PARTICIPANTS = (
    ("participant1", "이서연", "KAIST 전산학부 석사과정"),
    ("participant2", "김민준", "KAIST 전산학부 박사과정"),
    ("participant3", "박지호", "가람대학교 컴퓨터공학과"),
    ("participant4", "최수아", "가람대학교 통계학과"),
    ("participant5", "정도윤", "누리대학교 산업공학과"),
    ("participant6", "강하은", "누리대학교 수학과"),
)

ACCOUNTS = (
    Account("admin", "admin@demo.judge", "데모 관리자", "site admin", admin=True),
    Account("organizer", "organizer@demo.judge", "김운영", "organizer", "AI 혁신 챌린지 사무국"),
    Account("judge", "judge@demo.judge", "박심사", "judge", "가람대학교 인공지능대학원"),
    Account("judge2", "judge2@demo.judge", "한심사", "judge", "가람대학교 컴퓨터공학과"),
    Account("judge3", "judge3@demo.judge", "윤심사", "judge", "세종스마트팩토리 연구소"),
    Account("sponsor1", "sponsor1@demo.judge", "이한빛", "sponsor member", "한빛의료AI"),
    Account("sponsor2", "sponsor2@demo.judge", "정세종", "sponsor member", "세종스마트팩토리"),
    Account("sponsor3", "sponsor3@demo.judge", "최누리", "sponsor member", "누리생명"),
    *(
        Account(key, f"{key}@demo.judge", name, "participant", affiliation)
        for key, name, affiliation in PARTICIPANTS
    ),
)


def role_label(account: Account) -> str:
    """The account's role, naming its sponsor or its team and division."""
    sponsor = next((s.name for s in SPONSORS if s.member == account.key), None)
    team = next((t for t in TEAMS if account.key in t.members), None)
    if sponsor:
        return f"{account.role}: {sponsor}"
    if team:
        return f"{account.role}: {team.name} ({team.division})"
    return account.role


# A pinned notice and one published question with its answer (공지사항, 질의응답).
NOTICE_TITLE = "[필독] 제출 규정과 일정 안내"
NOTICE_BODY = """\
- 하루 제출 횟수는 과제마다 다릅니다. 과제 페이지에서 남은 횟수를 확인하세요.
- 최종 제출은 팀마다 **2개**까지 고를 수 있으며, 프라이빗 리더보드는 이 두 제출로 순위를 정합니다.
- 질문은 **질의응답** 게시판에 남겨 주세요. 답변과 함께 공개되기 전까지는 운영진만 봅니다.
"""
QUESTION_TITLE = "외부 공개 데이터로 사전학습한 모델을 써도 되나요?"
QUESTION_BODY = "ImageNet 등 공개 데이터로 사전학습한 가중치를 써도 규정 위반이 아닌지 궁금합니다."
QUESTION_ANSWER = (
    "네, 누구나 받을 수 있는 공개 데이터와 공개 가중치는 쓸 수 있습니다. "
    "다만 코드 검증 때 출처를 보고서에 적어 주세요."
)
