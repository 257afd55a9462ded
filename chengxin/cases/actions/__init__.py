"""Online case handling. Each action checks its precondition and the actor's permission, changes
the case, writes a CaseStep (for steps) and a CaseEvent, and leaves the change log, in one
transaction. Views never set `status`.

    register_case (立案: an item within the body's competence; a penalty case's 90-day period)
      → record_step: 调查取证 … → 告知 (hearing requested?) → 听证
      → request_legality_review → record_legality_review (法制审核 by the body's reviewing unit,
        a first-time reviewer qualified: passed / failed / returned)
      → record_collective_discussion (负责人集体讨论, for 情节复杂或者重大违法行为)
      → approve_decision (负责人签批, by a head who did not handle the case)
      → decide_case (in the deciding authority's name; refused without the review, the
        discussion or the sign-off it needs) → 送达 → 执行 → 结案
    At every step the officers acting that day must still be able to act; change_case_officers
    releases and adds officers. extend_handling_deadline (a head, within the field's rule);
    mark_major raises art. 58 / art. 57 flags (never lowers them); record_case_publication
    (事后公开); save_legal_reviewer (the reviewers' qualifications).

The modules: common (shared checks), registration, steps, review, deciding.
"""

from chengxin.cases.actions.common import MIN_OFFICERS, PartyData, RecordingData
from chengxin.cases.actions.deciding import (
    approve_decision,
    decide_case,
    extend_handling_deadline,
    link_penalty_records,
    record_case_publication,
    record_collective_discussion,
    refresh_deadlines,
    sign_off_problem,
)
from chengxin.cases.actions.registration import change_case_officers, register_case
from chengxin.cases.actions.review import (
    extend_legality_review,
    record_legality_review,
    request_legality_review,
    save_legal_reviewer,
)
from chengxin.cases.actions.steps import (
    ALLOWED_BEFORE,
    mark_major,
    record_hearing_request,
    record_step,
)

__all__ = [
    "ALLOWED_BEFORE",
    "MIN_OFFICERS",
    "PartyData",
    "RecordingData",
    "approve_decision",
    "change_case_officers",
    "decide_case",
    "extend_handling_deadline",
    "extend_legality_review",
    "link_penalty_records",
    "mark_major",
    "record_case_publication",
    "record_collective_discussion",
    "record_hearing_request",
    "record_legality_review",
    "record_step",
    "refresh_deadlines",
    "register_case",
    "request_legality_review",
    "save_legal_reviewer",
    "sign_off_problem",
]
