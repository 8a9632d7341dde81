"""Registration-record fields found in a client's own words.

客户名称, 投诉人姓名/职务/联系方式, 客户明确诉求 and 是否已向其他部门反映过 come
from the client's text: the signature first (it is where people state who
they are), the body next, the mail headers last.  For a forwarded complaint
the caller passes the original client text and the original sender, never
the colleague who forwarded it.

Callers pass text normalised by `classifiers.text.normalise`.  Everything is
regular expressions compiled at import; no segmentation per call.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

__all__ = [
    "SENIOR_TITLES",
    "TITLES",
    "Complainant",
    "Fields",
    "extract_fields",
    "is_senior_title",
]


@dataclass
class Complainant:
    name: str | None = None
    title: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass
class Fields:
    client_name: str | None = None
    complainant: Complainant = field(default_factory=Complainant)
    demands: list[str] = field(default_factory=list)
    reported_elsewhere: bool | None = None


# --- Titles --------------------------------------------------------------

_CN_TITLES = (
    "财务总监 财务副总监 首席财务官 财务负责人 总会计师 总经理 副总经理 总经理助理"
    " 执行总裁 总裁 副总裁 董事长 副董事长 董事会秘书 董秘 执行董事 独立董事 董事"
    " 监事会主席 监事 法定代表人 财务经理 财务部经理 财务部长 财务部部长 财务主管"
    " 财务主任 财务科长 财务处长 财务专员 会计主管 主办会计 总账会计 成本会计 会计"
    " 出纳 内审经理 内审负责人 审计部经理 行政经理 行政主管 行政专员 行政"
    " 办公室主任 总经办主任"
).split()
_EN_TITLES = (
    "Chief Financial Officer",
    "Chief Executive Officer",
    "CFO",
    "CEO",
    "Finance Director",
    "Financial Director",
    "Director of Finance",
    "Financial Controller",
    "Finance Controller",
    "Finance Manager",
    "Financial Manager",
    "Accounting Manager",
    "Chief Accountant",
    "Senior Accountant",
    "Accountant",
    "Cashier",
    "General Manager",
    "Deputy General Manager",
    "Managing Director",
    "Executive Director",
    "Chairman",
    "Chairwoman",
    "Chairperson",
    "Vice Chairman",
    "President",
    "Vice President",
    "Board Secretary",
    "Company Secretary",
    "Director",
    "Controller",
    "Office Manager",
    "Admin Manager",
)
TITLES: tuple[str, ...] = tuple(_CN_TITLES) + _EN_TITLES

# Senior management in the sense of POLICY (二级: "the client's senior
# management has voiced the dissatisfaction").  Decided after PRC Company
# Law's 高级管理人员 (经理, 副经理, 财务负责人, a listed company's 董事会秘书)
# plus the board and the chair.  So 副总经理 and 董事会秘书 count; 总经理助理,
# 财务经理/主管/科长, 会计 and 出纳 do not.  Financial Controller counts: it
# is the usual English rendering of 财务总监.  A bare "Director" is read as a
# board director.
SENIOR_TITLES = frozenset(
    t.lower()
    for t in (
        "财务总监 财务副总监 首席财务官 财务负责人 总会计师 总经理 副总经理 执行总裁"
        " 总裁 副总裁 董事长 副董事长 董事会秘书 董秘 执行董事 独立董事 董事"
        " 法定代表人 董事会"
    ).split()
    + [
        "Chief Financial Officer", "Chief Executive Officer", "CFO", "CEO",
        "Finance Director", "Financial Director", "Director of Finance",
        "Financial Controller", "Finance Controller", "Chief Accountant",
        "General Manager", "Deputy General Manager", "Managing Director",
        "Executive Director", "Chairman", "Chairwoman", "Chairperson",
        "Vice Chairman", "President", "Vice President", "Board Secretary",
        "Director", "Board",
    ]  # fmt: skip
)
# A senior word inside a junior title (总经理助理, Assistant to the CEO).
_JUNIOR_MARKS = re.compile(r"助理|秘书(?<!董事会秘书)|assistant|secretary to", re.I)
_SENIOR_ANYWHERE = re.compile(
    r"财务总监|首席财务官|财务负责人|总会计师|总经理|总裁|董事|\bCFO\b|\bCEO\b"
    r"|finance director|financial controller|general manager|chairman|\bboard\b",
    re.IGNORECASE,
)


def is_senior_title(title: str | None) -> bool:
    """True for the client's senior management (see SENIOR_TITLES)."""
    if not title:
        return False
    title = title.strip()
    if title.lower() in SENIOR_TITLES:
        return True
    return bool(_SENIOR_ANYWHERE.search(title)) and not _JUNIOR_MARKS.search(title)


def _title_pattern(titles: Iterable[str]) -> re.Pattern:
    parts = []
    for title in sorted(titles, key=len, reverse=True):
        part = re.escape(title)
        if title.isascii():
            part = rf"\b{part}\b"
        parts.append(part)
    # 会计/行政 head many non-title words (会计师事务所, 行政处罚).
    guarded = "|".join(parts).replace(
        "会计|", "会计(?!师|准则|政策|差错|估计|处理|科目|期间|报表|凭证|信息|年度)|"
    )
    guarded = guarded.replace("行政|", "行政(?!处罚|监管|部门|区|许可)|")
    return re.compile(guarded, re.IGNORECASE)


_TITLE = _title_pattern(TITLES)
_CANONICAL_TITLE = {t.lower(): t for t in TITLES}

# --- Names ---------------------------------------------------------------

# Common surnames: a sender name or signature word starting with one of these
# is taken for a person.  Covers the large majority of the population.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江"
    "尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐"
    "易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆"
    "农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟"
    "邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池乐匡钮鞠"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙",
                      "慕容", "令狐", "司徒", "夏侯", "长孙", "宇文")  # fmt: skip
_NOT_PERSON = re.compile(
    r"公司|集团|有限|事务所|客服|前台|部门|财务部|办公室|中心|银行|团队|小组|系统"
    r"|邮箱|助手|通知|[部科处室组]$|\d"
    r"|\b(?:ltd|limited|inc|corp|co|group|holdings|service|services|support|team"
    r"|info|admin|noreply|no-reply|office|department|dept|finance|accounts"
    r"|system|mailer|daemon|reception|customer|hr)\b",
    re.IGNORECASE,
)
_CN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_EN_NAME = re.compile(r"[A-Z][a-zA-Z'.-]*(?: [A-Z][a-zA-Z'.-]*){1,3}")


def _is_person_name(text: str) -> bool:
    text = text.strip()
    if not text or _NOT_PERSON.search(text) or _TITLE.fullmatch(text):
        return False
    if _CN_NAME.fullmatch(text):
        return text[0] in _SURNAMES or text.startswith(_COMPOUND_SURNAMES)
    return bool(_EN_NAME.fullmatch(text))


# --- Companies -----------------------------------------------------------

_NAME_CHARS = r"(?:[\u4e00-\u9fffA-Za-z0-9·&]|（[\u4e00-\u9fff]{2,6}）|\([\u4e00-\u9fff]{2,6}\))"
_CN_SUFFIX = (
    r"(?:控股)?(?:集团)?(?:股份有限公司|有限责任公司|有限公司|股份公司)"
    r"|(?:控股)?集团(?![\u4e00-\u9fff]{0,8}有限公司)"
    r"|控股(?![\u4e00-\u9fff]{0,8}有限公司)|事务所"
)
_CN_COMPANY = re.compile(
    rf"{_NAME_CHARS}{{2,24}}?(?:{_CN_SUFFIX})(?:[\u4e00-\u9fff]{{2,6}}分公司)?"
)
# Words that sit before a name in running text: the name starts after them.
_LEADING_CONTEXT = re.compile(
    r".*(?:我司|我们|我方|本公司|我公司|敝司|贵所|贵公司|客户|来自|代表|作为|关于|针对"
    r"|其中|以及|就是|受|是|为|的|在|对|向|给|被|从|于|了|将|把|请|我|您|你|其|该|这|那)"
)
_EN_COMPANY = re.compile(
    r"\b(?:(?:[A-Z][\w&'.-]*|&|and|of)[ \t]+){0,5}?[A-Z][\w&'.-]*[ \t]+"
    r"(?:(?:Holdings|Group|International|Industries)[ \t]+)?"
    r"(?:Co\.,?[ \t]*Ltd\.?|Company[ \t]+Limited|Co\.[ \t]*Limited|Limited|Ltd\.?"
    r"|Inc\.?|Corp\.?|Corporation|Group|Holdings|LLC|PLC|GmbH|Co\.)"
)
_EN_LEADING_WORDS = {"dear", "we", "our", "from", "to", "at", "the", "this", "with",
                     "regards", "of", "and", "for", "by", "on", "behalf"}  # fmt: skip
# The firm itself, or a law firm acting for the client, is never the client.
_NOT_CLIENT = re.compile(
    r"会计师事务所|律师事务所|\bCPA\b|Certified Public Accountants|Accountants"
    r"|Accounting Firm|Law Firm",
    re.IGNORECASE,
)


def _clean_cn_company(name: str) -> str | None:
    lead = _LEADING_CONTEXT.match(name)
    if lead:
        name = name[lead.end() :]
    core = re.sub(_CN_SUFFIX, "", name, count=1)
    return name if len(core) >= 2 else None


def _clean_en_company(name: str) -> str | None:
    words = name.split()
    while len(words) > 2 and words[0].lower() in _EN_LEADING_WORDS:
        words.pop(0)
    return " ".join(words) if len(words) >= 2 else None


def _companies(text: str) -> list[str]:
    """Client-company candidates in order of appearance."""
    found: list[tuple[int, str]] = []
    for pattern, clean in ((_CN_COMPANY, _clean_cn_company),
                           (_EN_COMPANY, _clean_en_company)):  # fmt: skip
        for match in pattern.finditer(text):
            name = clean(match[0])
            if name and not _NOT_CLIENT.search(name):
                found.append((match.start(), name))
    return [name for _, name in sorted(found)]


_SELF_COMPANY = re.compile(
    rf"(?:我司|我公司|本公司|我们公司|敝司|我方)\s*[（(]\s*(?P<a>{_NAME_CHARS}{{2,30}}?"
    rf"(?:{_CN_SUFFIX}|公司))\s*[)）]"
    rf"|(?:我司|我公司|本公司|我们|我方|敝司|本集团)\s*(?:即|是)?\s*"
    rf"(?P<b>{_NAME_CHARS}{{2,24}}?(?:{_CN_SUFFIX}))"
    rf"|(?P<c>{_NAME_CHARS}{{2,24}}?(?:{_CN_SUFFIX}|公司))\s*[（(]\s*(?:以下)?简称"
    rf"\s*[“\"]?(?:我司|本公司|公司)"
    rf"|受\s*(?P<d>{_NAME_CHARS}{{2,24}}?(?:{_CN_SUFFIX}))\s*(?:的)?委托"
    rf"|(?:贵所|你们|你所)(?:为|给)(?:我司|我们)?\s*(?P<e>{_NAME_CHARS}{{2,24}}?"
    rf"(?:{_CN_SUFFIX}))\s*(?:出具|提供|做|审计)"
    r"|(?:on behalf of|our company,?|we at)\s+(?P<f>[A-Z][^,.;\n]{2,60}?"
    r"(?:Co\.,?\s*Ltd\.?|Limited|Ltd\.?|Inc\.?|Corp\.?|Group|Holdings))",
    re.IGNORECASE,
)


def _self_named_company(body: str) -> str | None:
    """A company the writer names as their own: 我司（XX有限公司）, 我们XX集团."""
    for match in _SELF_COMPANY.finditer(body):
        name = next(g for g in match.groups() if g)
        if match["c"] or match["b"] or match["d"] or match["e"]:
            name = _clean_cn_company(name) or ""
        if name and not _NOT_CLIENT.search(name):
            return name.strip()
    return None


def _domain_label(address: str | None) -> str:
    """The distinctive part of a mail domain: 'sunrise-tex' in x@sunrise-tex.com.cn."""
    if not address or "@" not in address:
        return ""
    labels = address.rsplit("@", 1)[1].lower().split(".")
    generic = {"com", "cn", "net", "org", "hk", "tw", "mo", "example", "mail", "www"}
    useful = [label for label in labels if label not in generic]
    return re.sub(r"[^a-z0-9]", "", useful[0]) if useful else ""


def _client_name(signature: str, body: str, sender_address: str | None) -> str | None:
    """Signature, then the body's own words, then one unambiguous mention.

    The sender's domain is only used to choose between several companies in
    the body (x@sunrise-tex... picks "Sunrise Textiles Ltd."): a domain alone
    gives a romanised label, not a company name, so it yields None.
    """
    in_signature = _companies(signature)
    if in_signature:
        return in_signature[0]
    own = _self_named_company(body)
    if own:
        return own
    candidates = list(dict.fromkeys(_companies(body)))
    if len(candidates) == 1:
        return candidates[0]
    label = _domain_label(sender_address)
    for name in candidates:
        letters = re.sub(r"[^a-z0-9]", "", name.lower())
        if label and letters and (label in letters or letters.startswith(label[:6])):
            return name
    return None


# --- Contact details -----------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_MOBILE = re.compile(r"(?<![\d+])(?P<cc>(?:\+|00)?86[\s-]?)?(?P<n>1[3-9]\d(?:[\s-]?\d){8})(?!\d)")
_LANDLINE = re.compile(
    r"(?<![\d+])(?:(?P<cc>(?:\+|00)?86)[\s-]?)?"
    r"(?:[(（](?P<a1>0?\d{2,3})[)）]|(?P<a2>0\d{2,3}|(?<=86[\s-])\d{2,3}))[\s-]?"
    r"(?P<n>\d{3,4}[\s-]?\d{4})(?:\s*(?:-|转|ext\.?|x)\s*(?P<ext>\d{1,5}))?(?!\d)",
    re.IGNORECASE,
)
_CONTACT_CUE = re.compile(r"电话|手机|联系|致电|call|phone|tel|mobile", re.IGNORECASE)


def _normalise_phone(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match["n"])
    country = "+86" if match["cc"] else ""
    if match.re is _MOBILE:
        return country + digits
    area = match["a1"] or match["a2"]
    if country:
        number = f"{country}-{area.lstrip('0')}-{digits}"
    else:
        number = f"{area if area.startswith('0') else '0' + area}-{digits}"
    return number + (f"-{match['ext']}" if match["ext"] else "")


def _phones(text: str) -> list[tuple[int, int, str]]:
    found = []
    for pattern in (_MOBILE, _LANDLINE):
        for match in pattern.finditer(text):
            if not any(s <= match.start() < e for s, e, _ in found):
                found.append((match.start(), match.end(), _normalise_phone(match)))
    return sorted(found)


def _phone(signature: str, body: str) -> str | None:
    """The signature's phone, else one the body offers as a contact number."""
    phones = _phones(signature)
    if phones:
        return phones[0][2]
    for start, _, phone in _phones(body):
        if _CONTACT_CUE.search(body, max(0, start - 12), start):
            return phone
    return None


def _is_firm_address(address: str, firm_domains: Collection[str]) -> bool:
    domain = address.rsplit("@", 1)[-1].lower()
    return any(domain == d.lower() or domain.endswith("." + d.lower())
               for d in firm_domains)  # fmt: skip


def _email(text: str, sender_address: str | None,
           firm_domains: Collection[str]) -> str | None:  # fmt: skip
    for match in _EMAIL.finditer(text):
        if not _is_firm_address(match[0], firm_domains):
            return match[0]
    if sender_address and "@" in sender_address:
        if not _is_firm_address(sender_address, firm_domains):
            return sender_address.strip()
    return None


# --- Signature -----------------------------------------------------------

_CLOSING = re.compile(
    r"^\s*(?:此致|敬礼|此致，?敬礼|顺颂商祺|顺祝商祺|顺颂时祺|祝好|谢谢|多谢|感谢"
    r"|best regards|kind regards|warm regards|regards|sincerely|yours sincerely"
    r"|yours faithfully|many thanks|thanks|thank you|cheers|--+)"
    r"[\s,，!！。.、:：]*$",
    re.IGNORECASE | re.MULTILINE,
)
_SIGNATURE_LABEL = re.compile(
    r"^\s*(?:电话|手机|座机|传真|邮箱|电子邮件|邮件|地址|联系人|联系方式|公司|职务"
    r"|tel|phone|mobile|fax|e-?mail|address|web|网址|name|title)\s*[:：.]",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(r"^\s*\d{4}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?\s*$")
_SENTENCE_END_CHARS = "。！？!?；;"
_MAX_SIGNATURE_LINES = 8


def _signature_like(line: str) -> bool:
    """A short line giving who someone is or how to reach them."""
    line = line.strip()
    if not line or len(line) > 80:
        return False
    if any(ch in line for ch in _SENTENCE_END_CHARS):
        return False  # a sentence, or a sentence with a signature after it
    if _SIGNATURE_LABEL.match(line) or _DATE_LINE.match(line):
        return True
    if _EMAIL.search(line) or _MOBILE.search(line) or _LANDLINE.search(line):
        return True
    if len(line) <= 20 and (_TITLE.search(line) or _is_person_name(line)):
        return True
    rest = line
    for name in _companies(line):
        rest = rest.replace(name, "")
    return rest != line and len(rest.strip(" ,，|/")) <= 12


def _signature_start(text: str) -> int:
    """Offset where the signature block begins (len(text) when none)."""
    closings = list(_CLOSING.finditer(text))
    if closings:
        after = closings[-1].end()
        rest_lines = [ln for ln in text[after:].splitlines() if ln.strip()]
        if 0 < len(rest_lines) <= _MAX_SIGNATURE_LINES:
            return after
        if not rest_lines:
            return _trailing_signature(text[: closings[-1].start()])
    return _trailing_signature(text)


def _trailing_signature(text: str) -> int:
    # Walk back over signature-like lines; a long last line may still end
    # in one ("…请尽快处理。星澜科技有限公司 财务总监 王某 139…").
    start = len(text.rstrip())
    lines = text[:start].splitlines(keepends=True)
    for line in reversed(lines):
        if not line.strip():
            start -= len(line)
            continue
        if _signature_like(line):
            start -= len(line)
            continue
        cut = max(line.rfind(ch) for ch in _SENTENCE_END_CHARS)
        tail = line[cut + 1 :]
        if cut >= 0 and _signature_like(tail):
            start -= len(tail)
        break
    return start


_SEGMENT_BREAK = re.compile(r"[\n|/,，、;；:：()（）\t]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _person(region: str) -> tuple[str | None, str | None]:
    """Name and title in a signature or a self-introduction."""
    for pattern in (_EMAIL, _MOBILE, _LANDLINE):
        region = pattern.sub("|", region)

    # Titles go before companies: "Chief Financial Officer of Sunrise Ltd."
    # would otherwise read as one long company name.
    title = _TITLE.search(region)
    if title:
        title = _CANONICAL_TITLE.get(title[0].lower(), title[0])
    region = _TITLE.sub("|", region)
    for pattern in (_CN_COMPANY, _EN_COMPANY):
        region = pattern.sub("|", region)

    for segment in _SEGMENT_BREAK.split(region):
        name = _name_in(segment)
        if name:
            return name, title
    return None, title


def _name_in(piece: str) -> str | None:
    pieces = piece.split() if _CJK.search(piece) else [piece.strip()]
    for candidate in pieces:
        candidate = candidate.strip(" .-")
        if _is_person_name(candidate) and _plausible_length(candidate):
            return candidate
    return None


def _plausible_length(name: str) -> bool:
    # Chinese names run two or three characters, four with a compound surname.
    if not _CN_NAME.fullmatch(name):
        return True
    limit = 4 if name.startswith(_COMPOUND_SURNAMES) else 3
    return len(name) <= limit


_SELF_INTRO = re.compile(
    r"(?:我是|本人是?|我作为|作为|I am|I'm|This is|My name is)\s*"
    r"(?P<rest>[^，。,.！？!?；;\n]{1,40})",
    re.IGNORECASE,
)


def _self_introduction(body: str) -> tuple[str | None, str | None]:
    for match in _SELF_INTRO.finditer(body):
        name, title = _person(match["rest"])
        if name or title:
            return name, title
    return None, None


def _sender_person(sender_name: str | None) -> tuple[str | None, str | None]:
    """The display name when it is a person's, not '星澜科技客服' or 'Finance Team'."""
    if not sender_name:
        return None, None
    display = re.sub(r"[(（][^)）]*[)）]", " ", sender_name).strip(" \"'")
    if "@" in display:
        return None, None
    if _is_person_name(display) and _plausible_length(display):
        return display, None
    return _person(re.sub(r"[-_]", "|", display))


# --- Demands -------------------------------------------------------------

_DEMAND_CUE = re.compile(
    r"(?<![申邀聘])(?:恳|敬|烦|务|还)?请(?!问|查收|查阅|知悉|参阅|见|假|教|示|多关照)"
    r"|(?<!准则)(?<!规定)(?<!规范)(?<!法规)(?<!监管)(?<!按照)(?<!根据)(?<!符合)"
    r"(?<!满足)(?<!达到)要求(?![的中下])"
    r"|希望|务必|必须|(?<![很太真挺])麻烦(?!事|了)|限期|盼复"
    r"|\bplease\b|\bkindly\b|\b(?:we|i)\s+(?:hereby\s+)?(?:request|demand|require"
    r"|expect|ask|insist|want|need)\b|\b(?:we|i)\s+would\s+like\b|\byou\s+must\b"
    r"|\bmust\s+be\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(
    r".+?(?:[。！？!?；;\n]+|(?<!Ltd)(?<!\bCo)(?<!\bNo)(?<!\bp)(?<!\bpp)(?<!Mr)(?<!Ms)"
    r"(?<!Dr)(?<!Inc)(?<!Corp)\.(?=\s|$)|$)",
    re.DOTALL,
)
_CLAUSE_START = re.compile(r"[，,：:]")


def _demands(body: str) -> list[str]:
    """Each sentence that asks for something, from the asking clause on."""
    demands: list[str] = []
    for sentence in _SENTENCE.finditer(body):
        cue = _DEMAND_CUE.search(sentence[0])
        if cue is None:
            continue
        head = sentence[0][: cue.start()]
        starts = [m.end() for m in _CLAUSE_START.finditer(head)]
        demand = sentence[0][starts[-1] if starts else 0 :]
        demand = demand.strip().rstrip("。.；;，,!！?？ ").strip()
        if demand and demand not in demands:
            demands.append(demand)
    return demands


# --- Raised elsewhere ----------------------------------------------------

_RAISE = r"(?:反映|投诉|反馈|沟通|提出|提过|提及|说明|联系|报告|交涉|举报|说)"
_NOT_RAISED = re.compile(
    rf"(?:首次|第一次)(?:向|就|书面|正式)?{_RAISE}?"
    rf"|(?:尚未|还未|还没有?|没有|并未|未曾|从未)(?:向|跟|和|与|同)[^，。；\n]{{0,20}}?"
    rf"{_RAISE}|(?:尚未|还没有?|没有|未曾|从未){_RAISE}过"
    r"|\bfirst\s+time\s+(?:we|I)\s+(?:have\s+)?(?:raised?|contact|complain|report)"
    r"|\b(?:have|has)\s+not\s+(?:yet\s+)?(?:raised|reported|complained|contacted)",
    re.IGNORECASE,
)
_RAISED = re.compile(
    rf"已经?(?:多次)?(?:向|跟|和|与|同)[^，。；\n]{{0,25}}?{_RAISE}"
    rf"|(?:之前|此前|先前|前期|以前|上次|曾经?|早前)[^。；\n]{{0,25}}?{_RAISE}过"
    rf"|(?:之前|此前|先前|曾经?|早前)(?:已经?)?(?:和|与|跟|向|同)[^，。；\n]{{0,20}}?"
    rf"{_RAISE}"
    rf"|(?:多次|屡次|反复|再三|一再)[^，。；\n]{{0,6}}?(?:{_RAISE}|催促|要求|致电"
    rf"|打电话|发邮件)"
    rf"|(?:找过|反映过|投诉过|沟通过|交涉过|催过|联系过)"
    rf"|再次(?:反映|投诉|提出|致函|来函|写信|发函)"
    rf"|(?:至今|迄今|一直|仍然?|始终)[^。；\n]{{0,10}}?(?:没有|未|没)(?:得到|收到|获得|有)?"
    rf"(?:任何)?(?:回复|答复|回应|解决|处理|反馈)"
    r"|\balready\s+(?:raised|reported|complained|contacted|spoken|discussed"
    r"|mentioned|escalated|written)"
    r"|\b(?:have|had)\s+(?:previously\s+|already\s+)?(?:raised|reported|complained"
    r"|escalated)\b|\bpreviously\s+(?:raised|reported|complained|contacted)"
    r"|\b(?:several|many|multiple)\s+times\b|\brepeatedly\b|\bon\s+(?:several|multiple)"
    r"\s+occasions\b|\b(?:no|without\s+any)\s+(?:response|reply)\b",
    re.IGNORECASE,
)


def _reported_elsewhere(text: str) -> bool | None:
    """True if raised before, False if said to be the first time, else None.

    A denial is masked out first so that "没有向其他部门反映过" does not
    read as "反映过"; a real earlier contact still wins over "首次书面投诉".
    """
    denials = list(_NOT_RAISED.finditer(text))
    masked = text
    for match in reversed(denials):
        masked = masked[: match.start()] + " " * len(match[0]) + masked[match.end() :]
    if _RAISED.search(masked):
        return True
    return False if denials else None


# --- Entry point ---------------------------------------------------------


def extract_fields(
    text: str,
    *,
    sender_name: str | None,
    sender_address: str | None,
    firm_domains: Collection[str] = (),
) -> Fields:
    """Client, complainant, demands and 是否已向其他部门反映过 from client text."""
    text = text or ""
    split = _signature_start(text)
    body, signature = text[:split], text[split:]

    # The signature is the writer's own statement; a self-introduction in the
    # body and then the mail's display name fill what it leaves out.
    name, title = _person(signature)
    for fallback in (_self_introduction(body), _sender_person(sender_name)):
        name, title = name or fallback[0], title or fallback[1]

    complainant = Complainant(
        name=name,
        title=title,
        phone=_phone(signature, body),
        email=_email(signature + "\n" + body, sender_address, firm_domains),
    )
    return Fields(
        client_name=_client_name(signature, body, sender_address),
        complainant=complainant,
        demands=_demands(body),
        reported_elsewhere=_reported_elsewhere(text),
    )
