"""The combined verdict: rules, classifier, figures and fields for one message.

The final level is the highest that any rule or the classifier supports, and
every reason is listed in words a person at the firm understands.  Mail that
announces itself as automatic (auto-replies, bounces, bulk mail) is kept as
not a complaint whatever its words say.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field

from classifiers.classifier import ComplaintClassifier, Document, Prediction
from classifiers.fields import Fields, extract_fields
from classifiers.figures import Figures, extract_figures
from classifiers.rules import LEVEL_LABELS, LEVEL_NAMES, Hit, RuleBook
from classifiers.text import as_written, normalise
from classifiers.training import classifier_text

log = logging.getLogger(__name__)

# Below these complaint probabilities a rule alone does not make a complaint
# (a newsletter about other firms' lawsuits is still a newsletter).  They are
# low on purpose: a missed complaint costs more than a draft a person rejects.
RULE_OVERRIDE_PROBABILITY = {3: 0.05, 2: 0.08}
# How much of the complaint probability the classifier's own level needs
# before it raises the level above what the rules found.  三级 calls the
# leadership group to an emergency meeting, so the classifier alone needs a
# clear majority for it; the policy's 三级 conditions are all keyword rules.
CLASSIFIER_RAISE_SHARE = {2: 0.5, 3: 0.9}


@dataclass
class TriageInput:
    """What the triage needs of a message; built by the pipeline's parser."""

    subject: str
    body_text: str
    client_text: str
    sender_name: str | None = None
    sender_address: str | None = None
    auto_reply: bool = False
    bulk: bool = False
    bounce: bool = False


@dataclass
class Verdict:
    is_complaint: bool
    level: int | None
    confidence: float
    reasons: list[str]
    fields: Fields
    figures: Figures
    kind: str = "complaint"
    rules: list[str] = field(default_factory=list)
    probabilities: dict[int, float] = field(default_factory=dict)

    @property
    def level_name(self) -> str | None:
        return LEVEL_NAMES.get(self.level) if self.level else None

    def escalate(self, level: int, reason: str, rule: str) -> None:
        """Raise to `level` for a reason found outside this message."""
        self.is_complaint = True
        self.kind = "complaint"
        if self.level is None or level > self.level:
            self.level = level
            self.confidence = self.probabilities.get(level, self.confidence)
        self.reasons.insert(0, reason)
        self.rules.append(rule)


class Triage:
    """Callable that turns a TriageInput into a Verdict."""

    def __init__(
        self,
        rules: RuleBook,
        classifier: ComplaintClassifier,
        firm_domains: Collection[str] = (),
    ) -> None:
        self.rules = rules
        self.classifier = classifier
        self.firm_domains = tuple(firm_domains)

    def __call__(self, item: TriageInput) -> Verdict:
        return self.many([item])[0]

    def many(self, items: list[TriageInput]) -> list[Verdict]:
        """Verdicts for a batch, one step at a time across the batch.

        Segmenting every message, then classifying them together, then the
        figures, fields and rules of each keeps every step's tables and
        patterns warm in the processor's caches: about a third less time
        than the same messages one at a time.
        """
        bodies = [normalise(item.body_text) for item in items]
        texts = [classifier_text(item.subject, item.body_text, normalised_body=body)
                 for item, body in zip(items, bodies, strict=True)]
        predictions = self.classifier.predict_all([Document.of(t) for t in texts])
        figures = [extract_figures(text) for text in texts]
        fields = [self._fields(item, body)
                  for item, body in zip(items, bodies, strict=True)]
        automatic = [_automatic_kind(item) for item in items]
        hits = [None if kind else self.rules.check(
                    text, {"complainant_title": found.complainant.title})
                for kind, text, found in zip(automatic, texts, fields, strict=True)]
        return [self._verdict(*parts) for parts in zip(
            automatic, predictions, figures, fields, hits, strict=True)]

    def _fields(self, item: TriageInput, body: str) -> Fields:
        # Without a forwarded original the client's text is the body.
        client_text = (body if item.client_text == item.body_text
                       else normalise(item.client_text))
        fields = extract_fields(
            client_text,
            sender_name=item.sender_name,
            sender_address=item.sender_address,
            firm_domains=self.firm_domains,
        )
        fields.client_name = as_written(fields.client_name, item.client_text,
                                        client_text)
        return fields

    def _verdict(self, automatic: str | None, prediction: Prediction,
                 figures: Figures, fields: Fields, hits: list[Hit] | None) -> Verdict:
        if automatic:
            return self._not_complaint(prediction, fields, figures, automatic)
        amount_reason = self._amount_reason(figures)
        if not _is_complaint(prediction, hits, amount_reason is not None):
            return self._not_complaint(prediction, fields, figures, "not_complaint")
        return self._complaint(prediction, hits, amount_reason, fields, figures)

    def _complaint(
        self,
        prediction: Prediction,
        hits: list[Hit],
        amount_reason: str | None,
        fields: Fields,
        figures: Figures,
    ) -> Verdict:
        hits = sorted(hits, key=lambda h: -h.rule.level)
        reasons = [hit.reason for hit in hits]
        level = max([1] + [hit.rule.level for hit in hits])
        if amount_reason:
            reasons.append(amount_reason)
            level = max(level, self.rules.amount.level)

        guess = prediction.best_level
        share = prediction.probabilities[guess] / max(prediction.complaint_probability,
                                                      1e-9)
        if guess > level and share >= CLASSIFIER_RAISE_SHARE[guess]:
            level = guess
        reasons.append(_classifier_reason(prediction, guess))
        if guess > level:
            reasons.append(
                f"分类器倾向{LEVEL_LABELS[guess]}，但原文未见该级别的情形，"
                "未据此升级，请人工判断")
        if level == 1 and not hits and not amount_reason:
            reasons.insert(0, "一级：单一项目细节问题，未见重大或特大情形")
        names = [hit.rule.name for hit in hits]
        if amount_reason:
            names.append(self.rules.amount.name)
        return Verdict(
            is_complaint=True,
            level=level,
            confidence=round(prediction.probabilities[level], 4),
            reasons=reasons,
            fields=fields,
            figures=figures,
            rules=names,
            probabilities=prediction.probabilities,
        )

    def _not_complaint(
        self, prediction: Prediction, fields: Fields, figures: Figures, kind: str
    ) -> Verdict:
        reason = _AUTOMATIC_REASONS.get(kind) or (
            f"分类器判断：非投诉（概率 {prediction.probabilities[0]:.2f}）"
        )
        return Verdict(
            is_complaint=False,
            level=None,
            confidence=round(prediction.probabilities[0], 4),
            reasons=[reason],
            fields=fields,
            figures=figures,
            kind=kind,
            probabilities=prediction.probabilities,
        )

    def _amount_reason(self, figures: Figures) -> str | None:
        rule = self.rules.amount
        largest = figures.largest_at_stake(rule.rates_to_cny)
        if largest <= rule.threshold_cny:
            return None
        return (
            f"{LEVEL_LABELS[rule.level]}规则：{rule.description}"
            f"（最大涉及金额约 {largest / 10000:,.0f} 万元）"
        )


_AUTOMATIC_REASONS = {
    "auto_reply": "自动回复邮件（邮件头标明自动发送），不是投诉",
    "bounce": "退信或投递失败通知，不是投诉",
    "bulk": "群发邮件（邮件列表或批量发送标记），不是投诉",
}


def _automatic_kind(item: TriageInput) -> str | None:
    if item.bounce:
        return "bounce"
    if item.auto_reply:
        return "auto_reply"
    if item.bulk:
        return "bulk"
    return None


def _is_complaint(prediction: Prediction, hits: list[Hit], amount: bool) -> bool:
    probability = prediction.complaint_probability
    if probability >= 0.5:
        return True
    content_levels = [h.rule.level for h in hits if h.rule.field is None]
    if amount:
        content_levels.append(2)
    return any(probability >= RULE_OVERRIDE_PROBABILITY[lv] for lv in content_levels)


def _classifier_reason(prediction: Prediction, guess: int) -> str:
    probability = prediction.probabilities[guess]
    complaint = prediction.complaint_probability
    return (
        f"分类器判断：{LEVEL_LABELS[guess]} {LEVEL_NAMES[guess]}"
        f"（概率 {probability:.2f}；是投诉的概率 {complaint:.2f}）"
    )
