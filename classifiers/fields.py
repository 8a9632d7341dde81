"""Registration-record fields found in a client's own words.

客户名称, 投诉人姓名/职务/联系方式, 客户明确诉求 and 是否已向其他部门反映过 come
from the client's text: the signature first (it is where people state who
they are), the body next, the mail headers last.  For a forwarded complaint
the caller passes the original client text and the original sender, never
the colleague who forwarded it.

Callers pass text normalised by `classifiers.text.normalise`.  Everything is
compiled at import and no segmentation runs per call.  Most scans start from
cheap anchors (a company suffix, an "@", a trigger word) rather than trying a
large pattern at every character.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from classifiers.figures import Lexicon, fold_case
from classifiers.text import to_simplified

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


Span = tuple[int, int]


def _split(words: str) -> list[str]:
    """Terms written as one space-separated string, to keep long lists short."""
    return words.split()


# --- Titles --------------------------------------------------------------

_CN_TITLES = _split(
    "财务总监 财务副总监 首席财务官 财务负责人 总会计师 总经理 副总经理 常务副总经理"
    " 总经理助理 执行总裁 总裁 副总裁 董事长 副董事长 董事会秘书 董秘 执行董事"
    " 独立董事 董事 监事会主席 监事 法定代表人 财务经理 财务部经理 财务部长"
    " 财务部部长 财务主管 财务主任 财务科长 财务处长 财务专员 会计主管 主办会计"
    " 总账会计 成本会计 会计 出纳 内审经理 内审负责人 审计部经理 行政经理 行政主管"
    " 行政专员 行政 办公室主任 总经办主任 律师"
    # Assistants and secretaries to senior managers, so that the longer title
    # wins over the senior one inside it.
    " 财务总监助理 财务负责人助理 总裁助理 董事长助理 董事长秘书 总经理秘书 总裁秘书"
    " 总会计师助理 副总经理助理 董事长办公室主任 总裁办主任"
)
_EN_TITLES = (
    "Chief Financial Officer", "Chief Executive Officer", "CFO", "CEO",
    "Finance Director", "Financial Director", "Director of Finance",
    "Financial Controller", "Finance Controller", "Finance Manager",
    "Financial Manager", "Accounting Manager", "Chief Accountant",
    "Senior Accountant", "Accountant", "Cashier", "General Manager",
    "Deputy General Manager", "Managing Director", "Executive Director",
    "Chairman", "Chairwoman", "Chairperson", "Vice Chairman", "President",
    "Vice President", "Board Secretary", "Company Secretary", "Director",
    "Controller", "Office Manager", "Admin Manager", "Head of Finance",
    "Head of Internal Audit", "Internal Audit Manager",
)  # fmt: skip
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
    for t in _split(
        "财务总监 财务副总监 首席财务官 财务负责人 总会计师 总经理 副总经理"
        " 常务副总经理 执行总裁 总裁 副总裁 董事长 副董事长 董事会秘书 董秘 执行董事"
        " 独立董事 董事 法定代表人 董事会"
    )
    + [
        "Chief Financial Officer",
        "Chief Executive Officer",
        "CFO",
        "CEO",
        "Finance Director",
        "Financial Director",
        "Director of Finance",
        "Financial Controller",
        "Finance Controller",
        "Chief Accountant",
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
        "Director",
        "Board",
    ]
)
# A senior word inside a junior title (总经理助理, 总经理办公室主任,
# Assistant to the CEO).
_JUNIOR_MARKS = re.compile(
    r"助理|(?<!董事会)秘书|办公室|办主任|assistant|secretary to", re.IGNORECASE
)
_SENIOR_ANYWHERE = re.compile(
    r"财务总监|首席财务官|财务负责人|总会计师|总经理|总裁|董事|\bCFO\b|\bCEO\b"
    r"|finance director|financial controller|general manager|chairman|\bboard\b",
    re.IGNORECASE | re.ASCII,
)


def is_senior_title(title: str | None) -> bool:
    """True for the client's senior management (see SENIOR_TITLES)."""
    if not title:
        return False
    title = title.strip()
    if title.lower() in SENIOR_TITLES:
        return True
    return bool(_SENIOR_ANYWHERE.search(title)) and not _JUNIOR_MARKS.search(title)


_TITLE_LEXICON = Lexicon({title: title for title in TITLES})
_TITLE_KEYS = frozenset(title.lower() for title in TITLES)
# 会计, 行政 and 律师 head many words that are no title (会计师事务所,
# 行政处罚, 行政财务部, 律师事务所).
_TITLE_GUARDS = {
    "会计": re.compile(r"师|准则|政策|差错|估计|处理|科目|期间|报表|凭证|信息|年度"),
    "行政": re.compile(r"处罚|监管|部|区|许可|财务|人事|人力"),
    "律师": re.compile(r"事务所|函|费|团队|意见"),
}
# Heads of a department, named by it: 内审部经理, 财务部副经理, 审计部负责人,
# 财务中心总监, 总经理办公室主任.  There are too many to list one by one.
_DEPARTMENTS = _split(
    "财务 财会 会计 计划财务 财务管理 资金 资金管理 结算 核算 预算 成本 税务 内审"
    " 内部审计 审计 审计监察 稽核 监察 内控 风控 风险管理 合规 法务 法律 法律事务"
    " 行政 人事 人力资源 综合 投资 证券 证券事务 运营 经营 企管 企业管理 采购 销售"
    " 市场 信息 资产管理 总经理 总经 总裁 董事会"
)
_DEPARTMENT_TITLE = re.compile(
    "(?:" + "|".join(sorted(_DEPARTMENTS, key=len, reverse=True)) + ")"
    r"(?:部门?|中心|处|科|办公室|办)"
    r"(?:副?(?:总经理|经理|总监|部长|主任|主管|处长|科长)|负责人)"
)
_DEPARTMENT_UNIT = re.compile(r"[部心处科办]")


def _titles(text: str, folded: str) -> list[tuple[int, int, str]]:
    """(start, end, title) of each title in `text`, the longer of overlaps."""
    found = []
    for start, end, key, title in _TITLE_LEXICON.finditer(folded):
        guard = _TITLE_GUARDS.get(key)
        if guard is None or not guard.match(text, end):
            found.append((start, end, title))
    if not _DEPARTMENT_UNIT.search(text):
        return found  # the usual case: no department named
    found += [(m.start(), m.end(), m[0]) for m in _DEPARTMENT_TITLE.finditer(text)]
    found.sort(key=lambda hit: (hit[0], -hit[1]))
    kept: list[tuple[int, int, str]] = []
    for hit in found:
        if not kept or hit[0] >= kept[-1][1]:
            kept.append(hit)
    return kept


# --- Person names --------------------------------------------------------

# Common surnames: a sender name or signature word starting with one of these
# is taken for a person.  Covers the large majority of the population.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江"
    "尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐"
    "易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
    "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆"
    "农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟"
    "邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池乐匡钮鞠"
    "赖傅洪萧郁杭晋凤封储湛麻居邝冼区廉闻芮阙谈蔺蒯母习权逯盖桓巴弓牧荆竺利揭滑"
    "粟敬索宣鄂计伏茅木晁郜燕钭訾"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙",
                      "慕容", "令狐", "司徒", "夏侯", "长孙", "宇文")  # fmt: skip
_NOT_PERSON = re.compile(
    r"公司|集团|有限|事务所|客服|前台|部门|财务部|办公室|中心|银行|团队|小组|系统"
    r"|邮箱|助手|通知|[部科处室组]$|\d"
    r"|\b(?:ltd|limited|inc|corp|co|group|holdings|service|services|support|team"
    r"|info|admin|noreply|no-reply|office|department|dept|finance|accounts"
    r"|system|mailer|daemon|reception|customer|hr|dear|regards|thanks)\b",
    re.IGNORECASE | re.ASCII,
)
_CN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_EN_NAME = re.compile(r"[A-Z][a-zA-Z'.-]*(?: [A-Z][a-zA-Z'.-]*){1,3}")


def _is_person_name(text: str) -> bool:
    """A Chinese name of two or three characters (four with a compound
    surname), or two to four capitalised words."""
    text = text.strip()
    if not text or text.lower() in _TITLE_KEYS or _NOT_PERSON.search(text):
        return False
    if _CN_NAME.fullmatch(text):
        if text.startswith(_COMPOUND_SURNAMES):
            return len(text) >= 3
        return text[0] in _SURNAMES and len(text) <= 3
    return bool(_EN_NAME.fullmatch(text))


# --- Companies -----------------------------------------------------------

# 公司 alone is a weak suffix: it names the client only where the writer
# calls it their own (我司（远方贸易公司）), never in passing (子公司, 贵公司).
_CN_SUFFIXES = Lexicon(
    dict.fromkeys(
        _split(
            "控股集团股份有限公司 控股集团有限公司 控股股份有限公司 控股有限公司"
            " 集团股份有限公司 集团有限公司 股份有限公司 有限责任公司 有限公司 股份公司"
            " 控股集团 集团 控股 事务所"
        ),
        True,
    )
    | {"公司": False}
)
_LTD_LATER = re.compile(r"[\u4e00-\u9fff]{0,8}有限公司")
_BRANCH_OFFICE = re.compile(r"[\u4e00-\u9fff]{2,6}分公司")
_PAREN_CHUNK = re.compile(r"[\u4e00-\u9fff]{2,6}")
_MAX_NAME = 24
# Words that sit before a name in running text: the name starts after them.
_LEADING_CONTEXT = re.compile(
    r".*(?:我司|我们|我方|本公司|我公司|敝司|贵所|贵公司|客户|来自|代表|作为|关于|针对"
    r"|其中|以及|就是|受|是|为|的|在|对|向|给|被|从|于|了|将|把|请|我|您|你|其|该|这|那)"
)
_CONNECTOR = re.compile(r"(?:以及|和|与|及|、)+")
_EN_SUFFIX = re.compile(
    r"[ \t](?P<suffix>(?:(?:Holdings|Group|International|Industries)[ \t]+)?"
    r"(?:Co\.,?[ \t]*Ltd\.?|Company[ \t]+Limited|Co\.[ \t]*Limited|Limited|Ltd\.?"
    r"|Inc\.?|Corp\.?|Corporation|Group|Holdings|LLC|PLC|GmbH|Co\.))(?![A-Za-z])"
)
_EN_NAME_CONNECTORS = {"&", "and", "of"}
_EN_LEADING_WORDS = {
    "dear",
    "we",
    "our",
    "from",
    "to",
    "at",
    "the",
    "this",
    "with",
    "regards",
    "for",
    "by",
    "on",
    "behalf",
} | _EN_NAME_CONNECTORS
# The firm itself, or a law firm acting for the client, is never the client.
_NOT_CLIENT = re.compile(
    r"会计师事务所|律师事务所|\bCPA\b|Certified Public Accountants|Accountants"
    r"|Accounting Firm|Law Firm",
    re.IGNORECASE | re.ASCII,
)


@dataclass(frozen=True)
class _Company:
    start: int
    end: int
    name: str
    weak: bool = False


def _is_name_char(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or (ch.isascii() and ch.isalnum()) or ch in "·&"


def _name_start(text: str, end: int, lo: int) -> int:
    """Walk back from a suffix over the characters a company name uses."""
    i = end
    while i > lo and end - i < _MAX_NAME:
        ch = text[i - 1]
        if ch in "）)":
            # A region in brackets belongs to the name: 星澜科技（上海）有限公司.
            j = text.rfind("（" if ch == "）" else "(", max(lo, i - 9), i - 1)
            if j < 0 or not _PAREN_CHUNK.fullmatch(text, j + 1, i - 1):
                break
            i = j
        elif _is_name_char(ch):
            i -= 1
        else:
            break
    return i


def _cn_companies(text: str) -> Iterator[_Company]:
    previous_end = 0
    for start, end, suffix, strong in _CN_SUFFIXES.finditer(text):
        if suffix in ("集团", "控股", "控股集团") and _LTD_LATER.match(text, end):
            continue  # 星澜集团科技有限公司: the suffix is the later one
        branch = _BRANCH_OFFICE.match(text, end)
        end = branch.end() if branch else end

        first = _name_start(text, start, previous_end)
        core = text[first:start]
        lead = _LEADING_CONTEXT.match(core) or _CONNECTOR.match(core)
        if lead:
            first += lead.end()
        if start - first >= 2:
            yield _Company(first, end, text[first:end], weak=not strong)
            previous_end = end


def _en_companies(text: str) -> Iterator[_Company]:
    previous_end = 0
    for match in _EN_SUFFIX.finditer(text):
        line_start = text.rfind("\n", previous_end, match.start()) + 1
        lo = max(previous_end, line_start)
        words = text[lo : match.start()].split(" ")
        kept: list[str] = []
        for word in reversed(words):
            if not word or word[-1] in ",;:|" or len(kept) == 6:
                break
            if not (word[0].isupper() or word in _EN_NAME_CONNECTORS):
                break
            kept.insert(0, word)
        while kept and kept[0].lower() in _EN_LEADING_WORDS:
            kept.pop(0)
        if kept:
            name = " ".join(kept) + " " + match["suffix"]
            first = match.start() - len(" ".join(kept))
            yield _Company(first, match.end(), name)
            previous_end = match.end()


def _companies(text: str, *, weak: bool = False) -> list[_Company]:
    """Companies named in `text` in order, the firm and law firms left out."""
    found = [
        company
        for finder in (_cn_companies, _en_companies)
        for company in finder(text)
        if (weak or not company.weak) and not _NOT_CLIENT.search(company.name)
    ]
    return sorted(found, key=lambda company: company.start)


# How writers name their own company: 我司（XX有限公司）, 我们XX集团,
# 贵所为我司XX有限公司出具, XX有限公司（以下简称“我司”）, 受XX有限公司委托;
# a lawyer names the client: 代表XX有限公司, XX有限公司（以下简称“委托人”）,
# 作为XX有限公司的常年法律顾问.
_OWN_BEFORE = re.compile(
    r"(?:(?:我司|我公司|本公司|我们公司|敝司|我方|我们|本集团)\s*(?:即|是)?"
    r"|(?:贵所|你们|你所)(?:为|给)(?:我司|我们)?|代表"
    r"|on behalf of|our company,?|we at|we,)\s*[（(]?\s*$",
    re.IGNORECASE,
)
_OWN_AFTER = re.compile(
    r"\s*(?:[（(]\s*(?:以下)?(?:简称|下称|称)\s*[:：]?\s*[“\"「『]?"
    r"(?:我司|本公司|公司|委托人|当事人|我方客户)"
    r"|的(?:常年)?(?:法律顾问|代理律师|委托代理人|代理人)"
    r"|出具|\(the company\)|\((?:the )?client\))",
    re.IGNORECASE,
)
# 受XX有限公司（以下简称“委托人”）的委托: the bracket may stand between.
_ENTRUSTED = re.compile(r"\s*(?:[（(][^（）()]{0,20}[）)])?\s*的?委托")
_CLOSING_BRACKET = re.compile(r"\s*[）)]")


def _is_own(body: str, company: _Company) -> bool:
    before = body[max(0, company.start - 16) : company.start]
    if company.weak:
        # A bare 公司 counts only in the writer's own bracket: 我司（远方公司）.
        return bool(
            _OWN_BEFORE.search(before) and _CLOSING_BRACKET.match(body, company.end)
        )
    if before.endswith("受"):
        # 受XX有限公司委托: a lawyer or agent writing for the client; but
        # 受XX有限公司影响 names someone else.
        return bool(_ENTRUSTED.match(body, company.end))
    return bool(_OWN_BEFORE.search(before) or _OWN_AFTER.match(body, company.end))


def _own_company(body: str) -> str | None:
    """The first company the writer names as their own."""
    for company in _companies(body, weak=True):
        if _is_own(body, company):
            return company.name
    return None


# A signature often gives the company without its legal suffix (星澜科技):
# accepted there, and only there, when it ends in a word of trade.
_SHORT_COMPANY = re.compile(
    r"[\u4e00-\u9fff]{2,10}(?:科技|实业|贸易|商贸|建设|建工|制造|电子|医药|药业|地产"
    r"|置业|物流|投资|股份|能源|食品|纺织|化工|材料|机械|汽车|软件|信息|网络|传媒|文化"
    r"|教育|工程|电气|环保|农业|生物|制药|光电|电器|服饰|酒店|餐饮|物业|发展|国际)"
)


def _short_company(signature: str) -> str | None:
    for segment in _SEGMENT_BREAK.split(signature):
        for piece in segment.split():
            if _SHORT_COMPANY.fullmatch(piece) and not _NOT_CLIENT.search(piece):
                return piece
    return None


def _domain_label(address: str | None) -> str:
    """The distinctive part of a mail domain: 'sunrisetex' in x@sunrise-tex.cn."""
    if not address or "@" not in address:
        return ""
    labels = address.rsplit("@", 1)[1].lower().split(".")
    generic = {"com", "cn", "net", "org", "hk", "tw", "mo", "example", "mail", "www"}
    useful = [label for label in labels if label not in generic]
    return re.sub(r"[^a-z0-9]", "", useful[0]) if useful else ""


def _client_name(signature: str, body: str, sender_address: str | None) -> str | None:
    """Signature, then the body's own words, then one unambiguous mention.

    The sender's domain only chooses between several companies in the body
    (x@sunrisetextiles... picks "Sunrise Textiles Ltd."): a domain alone
    gives a romanised label, not a company name, so it yields None.
    """
    in_signature = _companies(signature)
    if in_signature:
        return in_signature[0].name
    short = _short_company(signature)
    if short:
        return short
    own = _own_company(body)
    if own:
        return own
    candidates = list(dict.fromkeys(c.name for c in _companies(body)))
    if len(candidates) == 1:
        return candidates[0]
    label = _domain_label(sender_address)
    for name in candidates:
        letters = re.sub(r"[^a-z0-9]", "", name.lower())
        if label and letters and (label in letters or letters.startswith(label[:6])):
            return name
    return None


# --- Contact details -----------------------------------------------------

_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+-]{1,64}$")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_MOBILE = re.compile(
    r"(?<![\d+])(?P<cc>(?:\+|00)?86[\s-]?)?(?P<n>1[3-9]\d(?:[\s-]?\d){8})(?!\d)"
)
_LANDLINE = re.compile(
    r"(?<![\d+])(?:(?P<cc>(?:\+|00)?86)[\s-]?)?"
    r"(?:[(（](?P<a1>0\d{2,3})[)）]|(?P<a2>0\d{2,3}|(?<=86[\s-])\d{2,3}))[\s-]?"
    r"(?P<n>\d{3,4}[\s-]?\d{4})(?:\s*(?:-|转|ext\.?|x)\s*(?P<ext>\d{1,5}))?(?!\d)",
    re.IGNORECASE,
)
# Hong Kong, Macao, Taiwan and other numbers: +852 9123 4567, (852) 2345 6789.
_INTERNATIONAL = re.compile(
    r"(?<![\d+])(?:(?:\+|00)(?P<cc>(?!86)[1-9]\d{0,2})|[(（]\+?(?P<cc2>85[23]|886)[)）])"
    r"[\s-]?(?P<n>\d(?:[\s-]?\d){6,11})(?!\d)"
)
_PHONE_HINT = re.compile(r"\d[\d\s-]{6}")
_CONTACT_CUE = re.compile(r"电话|手机|联系|致电|call|phone|tel|mobile", re.IGNORECASE)


def _emails(text: str) -> Iterator[tuple[int, int, str]]:
    # Anchored on "@": a local-part pattern tried at every character would
    # crawl over long runs of Chinese text.
    at = text.find("@")
    while at >= 0:
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if local and domain:
            yield local.start(), domain.end(), text[local.start() : domain.end()]
        at = text.find("@", at + 1)


def _normalise_phone(match: re.Match) -> str:
    """Digits only, with the country code after "+" and the area code after "-"."""
    digits = re.sub(r"\D", "", match["n"])
    if match.re is _INTERNATIONAL:
        return "+" + (match["cc"] or match["cc2"]) + digits
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
    if not _PHONE_HINT.search(text):
        return []  # fewer than seven digits in a row: no phone number
    found: list[tuple[int, int, str]] = []
    for pattern in (_MOBILE, _LANDLINE, _INTERNATIONAL):
        for match in pattern.finditer(text):
            if not any(s <= match.start() < e for s, e, _ in found):
                found.append((match.start(), match.end(), _normalise_phone(match)))
    return sorted(found)


def _phone(signature: str, body: str) -> str | None:
    """The signature's phone, else one the body offers as a contact number."""
    phones = _phones(signature)
    if phones:
        return phones[0][2]
    if not _CONTACT_CUE.search(body):
        return None
    for start, _, phone in _phones(body):
        if _CONTACT_CUE.search(body, max(0, start - 12), start):
            return phone
    return None


def _is_firm_address(address: str, firm_domains: Collection[str]) -> bool:
    domain = address.rsplit("@", 1)[-1].lower()
    return any(domain == d.lower() or domain.endswith("." + d.lower())
               for d in firm_domains)  # fmt: skip


def _email(
    text: str, sender_address: str | None, firm_domains: Collection[str]
) -> str | None:
    for _, _, address in _emails(text):
        if not _is_firm_address(address, firm_domains):
            return address
    usable = sender_address and "@" in sender_address
    if usable and not _is_firm_address(sender_address, firm_domains):
        return sender_address.strip()
    return None


# --- Signature -----------------------------------------------------------

_CLOSING = re.compile(
    r"^[ \t]*(?:此致|敬礼|此致，?敬礼|顺颂商祺|顺祝商祺|顺颂时祺|祝好|谢谢|多谢|感谢"
    r"|best regards|kind regards|warm regards|regards|sincerely|yours sincerely"
    r"|yours faithfully|many thanks|thanks|thank you|cheers|--+)"
    r"[ \t,，!！。.、:：]*$",
    re.IGNORECASE | re.MULTILINE,
)
_SIGNATURE_LABEL = re.compile(
    r"^\s*(?:电话|手机|座机|传真|邮箱|电子邮件|邮件|地址|联系人|联系方式|公司|职务"
    r"|tel|phone|mobile|fax|e-?mail|address|web|网址|name|title)\s*[:：.]",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(r"^\s*\d{4}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?\s*$")
# A postal address without its label: 香港九龙观塘开源道18号12楼,
# 12/F, 18 Hoi Yuen Road.
_ADDRESS_LINE = re.compile(
    r"(?:路|街|道|巷|弄|里|村|大道|大街|大厦|大楼|广场)\s*\d+\s*(?:号|弄|栋|幢|座)"
    r"|\d+\s*(?:楼|层|室|号楼)\s*$|\b\d+/F\b|\b(?:Road|Street|Avenue|Rd\.)(?:\W|$)",
    re.IGNORECASE,
)
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
    if len(line) <= 50 and _ADDRESS_LINE.search(line):
        return True
    if "@" in line or _phones(line):
        return True
    if len(line) <= 20 and (
        _is_person_name(line)
        or _SHORT_COMPANY.fullmatch(line)
        or any(_titles(line, fold_case(line)))
    ):
        return True
    companies = _companies(line)
    rest = len(line) - sum(c.end - c.start for c in companies)
    return bool(companies) and rest <= 12


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
        if not line.strip() or _signature_like(line):
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


def _blank(text: str, spans: list[Span]) -> str:
    """`text` with each span replaced by a segment break."""
    parts, last = [], 0
    for start, end in sorted(spans):
        if start >= last:
            parts.append(text[last:start])
            parts.append("|")
            last = end
    parts.append(text[last:])
    return "".join(parts)


# "作为贵所审计部经理" introduces one of the firm's people, not the writer.
_FIRM_BEFORE = re.compile(
    r"(?:贵所|你所|你们|贵方|贵事务所)(?:的|派来的)?(?:项目组的?)?$"
)


def _person(region: str) -> tuple[str | None, str | None]:
    """Name and title in a signature or a self-introduction."""
    titles = _titles(region, fold_case(region))
    own = [t for t in titles if not _FIRM_BEFORE.search(region, 0, t[0])]
    title = own[0][2] if own else None

    # Contact details, titles and companies are cut out first: what is left
    # between the breaks are candidate names.
    spans = [(s, e) for s, e, _ in _emails(region)]
    spans += [(s, e) for s, e, _ in _phones(region)]
    spans += [(s, e) for s, e, _ in titles]
    spans += [(c.start, c.end) for c in _companies(region)]
    for segment in _SEGMENT_BREAK.split(_blank(region, spans)):
        name = _name_in(segment)
        if name:
            return name, title
    return None, title


def _name_in(segment: str) -> str | None:
    pieces = segment.split() if _CJK.search(segment) else [segment.strip()]
    for piece in pieces:
        piece = piece.strip(" .-")
        if _is_person_name(piece):
            return piece
    return None


_SELF_INTRO = re.compile(
    r"(?:我是|本人是?|我作为|作为|i am|i'm|this is|my name is)\s*"
    r"(?P<rest>[^，。,.！？!?；;\n]{1,40})"
)


def _self_introduction(body: str) -> tuple[str | None, str | None]:
    # Matched on folded text for speed; the words are read from the original.
    for match in _SELF_INTRO.finditer(fold_case(body)):
        name, title = _person(body[match.start("rest") : match.end("rest")])
        if name or title:
            return name, title
    return None, None


def _sender_person(sender_name: str | None) -> tuple[str | None, str | None]:
    """The display name when it is a person's, not '星澜科技客服' or 'Finance Team'.

    The name is given as the sender writes it (陳大文), found in Simplified.
    """
    if not sender_name:
        return None, None
    display = re.sub(r"[(（][^)）]*[)）]", " ", sender_name).strip(" \"'")
    if "@" in display:
        return None, None
    simplified = to_simplified(display)
    if _is_person_name(simplified):
        return _as_written(simplified, display), None
    name, title = _person(re.sub(r"[-_]", "|", simplified))
    return _as_written(name, display), title


def _as_written(name: str | None, sender_name: str | None) -> str | None:
    """`name` spelt as in the sender's display name (梁志恆 for 梁志恒), if there."""
    if not name or not sender_name or name in sender_name:
        return name
    simplified = to_simplified(sender_name)
    at = simplified.find(name)
    if at < 0 or len(simplified) != len(sender_name):
        return name
    return sender_name[at : at + len(name)]


# --- Demands -------------------------------------------------------------

# Polite formulas after a request word that ask for nothing (请查收, 敬请谅解,
# 还请继续支持, 请点击退订).
_POLITE = tuple(
    _split(
        "问 查收 查阅 知悉 参阅 见 假 教 示 多关照 关照 继续支持 多多支持 支持"
        " 谅解 见谅 指正 点击"
    )
)
# 准则要求 is a rule; 银行要求 or 证监局要求 a constraint on the client;
# 我们被要求 a grievance.  None of them asks anything of the firm.
_NOT_ASKING = tuple(
    _split(
        "准则 规定 规范 法规 监管 按照 根据 符合 满足 达到 按 被 银行 税务局"
        " 税局 证监会 证监局 交易所 监管部门 监管机构 主管部门 投资方 投资人 债权人"
    )
)
# Request words, each with what may not stand just before or after it for it
# to be a request (申请 is applying, 请问 a question).
_DEMAND_CUES = {
    "请": (("申", "邀", "聘"), _POLITE),
    "恳请": ((), ()), "敬请": ((), _POLITE), "烦请": ((), ()),
    "务请": ((), ()), "还请": ((), _POLITE),
    "要求": (_NOT_ASKING, ("的", "中", "下")), "诉求": ((), ()),
    "希望": ((), ()), "务必": ((), ()), "必须": ((), ()), "限期": ((), ()),
    "盼复": ((), ()), "麻烦": (("很", "太", "真", "挺"), ("事", "了")),
    "please": ((), ()), "kindly": ((), ()), "you must": ((), ()),
    "must be": ((), ()),
}  # fmt: skip
for _who in ("we", "i"):
    for _verb in ("request", "demand", "require", "expect", "ask", "insist", "want",
                  "need", "would like", "hereby request", "hereby demand"):  # fmt: skip
        _DEMAND_CUES[f"{_who} {_verb}"] = ((), ())
_DEMAND_LEXICON = Lexicon({cue: cue for cue in _DEMAND_CUES})
# 诉求 asks for something only as a lead-in: "我司诉求如下：".
_LEAD_ONLY = {"诉求": re.compile(r"\s*(?:如下|是|为|有)?\s*[：:]")}
# 必须 binds whoever is the subject: "贵所必须减免审计费" is a demand, "我们的
# 融资材料3月10日必须提交" the client's own constraint.
_OWN_DUTY_CUES = frozenset({"必须", "must be"})
_CLAUSE_HEAD = re.compile(r"[^，,。；;！？!?\n：:]{0,30}$")
_FIRST_PERSON = re.compile(r"我|本公司|本人|敝司|\b(?:we|our|i|my)\b", re.ASCII)
_FIRM_WORDS = re.compile(
    r"贵所|你们|你所|贵方|你方|贵公司|项目组|事务所|合伙人|项目经理|审计师"
    r"|\b(?:you|your)\b",
    re.ASCII,
)
_SENTENCE_END = re.compile(r"[。！？!?；;\n.]")
_ABBREVIATIONS = re.compile(
    r"(?:^|[^a-z])(?:ltd|co|no|p|pp|mr|ms|dr|inc|corp|e\.g|i\.e|etc)$"
)
_CLAUSE_START = re.compile(r"[，,：:]")
_WHITESPACE = re.compile(r"\s+")


def _demand_cues(body: str, folded: str) -> list[Span]:
    cues = []
    for start, end, cue, _ in _DEMAND_LEXICON.finditer(folded):
        not_before, not_after = _DEMAND_CUES[cue]
        if any(body.startswith(word, start - len(word)) for word in not_before):
            continue
        if any(body.startswith(word, end) for word in not_after):
            continue
        lead_only = _LEAD_ONLY.get(cue)
        if lead_only and not lead_only.match(body, end):
            continue
        if cue in _OWN_DUTY_CUES and _is_own_duty(folded, start):
            continue
        cues.append((start, end))
    return cues


def _is_own_duty(folded: str, start: int) -> bool:
    head = _CLAUSE_HEAD.search(folded, max(0, start - 30), start)[0]
    return bool(_FIRST_PERSON.search(head)) and not _FIRM_WORDS.search(head)


# Offers to be contacted are courtesy, not demands: 请致电本人, 如有疑问请与我
# 联系, 如有紧急事项请联系财务部黄丽.
_CONTACT_ONLY = re.compile(
    r"(?:请|烦请|敬请|还请|please)\s*(?:您|随时|直接|feel free to)*\s*"
    r"(?:(?:与|和|跟)(?:我|本人|我们|我方)\s*(?:联系|联络)|致电|来电|回电|电话联系|联系"
    r"|联络|contact|call|reach)\s*(?:本人|我们|我方|我|me|us)?"
    r"(?:\s*[，,]?\s*(?:谢谢|多谢|thanks?(?: you)?))?"
)
_IF_NEEDED = re.compile(
    r"如有|如需|如果有|若有|若需|如遇|有任何|if you (?:have|need)|should you"
)
_CONTACT_WORD = re.compile(r"联系|联络|致电|来电|回电|垂询|咨询|contact|call|reach")


def _is_courtesy(folded: str, sentence: Span, demand: str) -> bool:
    folded_demand = fold_case(demand)
    if _CONTACT_ONLY.fullmatch(folded_demand):
        return True
    return bool(
        _IF_NEEDED.search(folded, *sentence)
        and _CONTACT_WORD.search(folded_demand)
        and not _FIRM_WORDS.search(folded_demand)
    )


def _sentences(body: str, folded: str) -> Iterator[Span]:
    start = 0
    for match in _SENTENCE_END.finditer(body):
        end = match.end()
        if match[0] == ".":
            # Only a full stop before a space ends a sentence, and not the
            # one in "Co., Ltd." or "p. 15".
            if end < len(body) and not body[end].isspace():
                continue
            if _ABBREVIATIONS.search(folded, max(0, end - 6), end - 1):
                continue
        yield start, end
        start = end
    if start < len(body):
        yield start, len(body)


def _clean(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip().rstrip("。.；;，,!！?？ ").strip()


def _demands(body: str) -> list[str]:
    """Each sentence that asks for something, from the asking clause on.

    A lead-in ending in a colon stands for the items listed after it.
    """
    folded = fold_case(body)
    cues = _demand_cues(body, folded)
    starts = [start for start, _ in cues]
    demands: list[str] = []
    listed_to = 0
    for start, end in _sentences(body, folded) if cues else ():
        i = bisect.bisect_left(starts, start)
        if start < listed_to or i == len(cues) or starts[i] >= end:
            continue

        # The request word nearest a colon leads any list: "请注意，我们要求：".
        listed = None
        colon = _COLON.search(body, starts[i], end)
        if colon:
            j = bisect.bisect_left(starts, colon.start()) - 1
            lead_start = _clause_start(body, start, starts[j])
            listed = _listed_demands(body, lead_start, cues[j][1], colon.end())
        if listed is not None:
            found, listed_to = listed
        else:
            demand = _clean(body[_clause_start(body, start, starts[i]) : end])
            courtesy = _is_courtesy(folded, (start, end), demand)
            found = [] if courtesy else [demand]
        demands += [d for d in found if d and d not in demands]
    return demands


def _clause_start(body: str, sentence_start: int, cue: int) -> int:
    clause_start = sentence_start
    for match in _CLAUSE_START.finditer(body, sentence_start, cue):
        clause_start = match.end()
    return clause_start


# --- Enumerated demands ----------------------------------------------------

# A lead-in ends in a colon ("请贵所于3月6日前：", "本公司董事会…并要求：") and
# its items follow, marked "（1）", "一、", "1." or "①", inline or one a
# line; the items are the demands.
_COLON = re.compile(r"[：:]")
_MAX_LEAD_IN = 40
_COLON_ENDS_LINE = re.compile(r"[ \t]*(?:\n|$)")
_ITEM_MARKER = re.compile(
    r"\s*(?:[（(](?P<paren>\d{1,2})[）)]"
    r"|[（(](?P<paren_cn>[一二三四五六七八九十]{1,3})[）)]"
    r"|(?P<circled>[\u2460-\u2473])|(?P<digit>\d{1,2})(?:\.(?!\d)|[、)）])"
    r"|(?P<cn>[一二三四五六七八九十]{1,3})[、.]"
    r"|第(?P<ordinal>[一二三四五六七八九十]{1,3})[，,、：:]"
    r"|(?P<bullet>[-•·*●◆■▪])(?=\s))\s*"
)
_ITEM_END = re.compile(r"[；;。！!？?\n]|\.(?=\s|$)")
_MAX_ITEMS = 12
# What a lead-in may say besides its deadline: whom it asks, and "the
# following".  "请贵所于3月6日前：" then qualifies each item with 3月6日前.
_ADDRESSEE = re.compile(
    r"(?:贵所|贵方|你们|你所|你方|贵公司|贵事务所)?\s*(?:务必|能够|能)?"
)
_LIST_FILLER = re.compile(
    r"\s*(?:(?:落实|完成|办理|做到|处理)?(?:以下|如下|下列)(?:几点|几项|事项|内容|要求"
    r"|工作)?|the following)\s*$",
    re.IGNORECASE,
)
_LEAD_WHEN = re.compile(
    r"(?:于|在)?\s*(?P<when>[^，,]{1,24}?(?:之前|以前|前|之内|以内|内|为止)"
    r"|尽快|立即|马上|尽早|即刻|及时)"
)
_TIME_WORD = re.compile(
    r"[\d一二两三四五六七八九十半今明周月年底末天日时]|星期|礼拜|下班|中午|尽快|立即"
    r"|马上|尽早|即刻|及时"
)


def _listed_demands(
    body: str, clause_start: int, cue_end: int, colon_end: int
) -> tuple[list[str], int] | None:
    """The items a lead-in introduces and where they end; None if no lead-in."""
    if colon_end - cue_end > _MAX_LEAD_IN:
        return None
    items, end = _marked_items(body, colon_end)
    if not items:
        if not _COLON_ENDS_LINE.match(body, colon_end):
            return None  # "我们的要求：重新出具报告" is one demand
        items, end = _line_items(body, colon_end)

    when, lead = _lead_in(body, clause_start, cue_end, colon_end - 1)
    if not items:
        return ([lead] if lead else []), end
    if when:
        return [f"{item}（{when}）" for item in items], end
    if lead:
        return [f"{lead}：{item}" for item in items], end
    return items, end


def _marked_items(body: str, pos: int) -> tuple[list[str], int]:
    items: list[str] = []
    style = None
    while len(items) < _MAX_ITEMS:
        marker = _ITEM_MARKER.match(body, pos)
        if marker is None or style not in (None, marker.lastgroup):
            break
        style = marker.lastgroup
        stop = _ITEM_END.search(body, marker.end())
        end = stop.start() if stop else len(body)
        items.append(_clean(body[marker.end() : end]))
        pos = stop.end() if stop else len(body)
    return [item for item in items if item], pos


def _line_items(body: str, pos: int) -> tuple[list[str], int]:
    """Unmarked items, one a line, up to a blank line or a full stop."""
    items: list[str] = []
    pos = body.find("\n", pos) + 1 or len(body)
    while pos < len(body) and len(items) < _MAX_ITEMS:
        end = body.find("\n", pos)
        end = len(body) if end < 0 else end
        line = body[pos:end].strip()
        if not line and items:
            break
        if line:
            items.append(_clean(line))
        pos = end + 1
        if line.endswith(("。", "！", "!")):
            break
    return [item for item in items if item], min(pos, len(body))


def _lead_in(body: str, clause_start: int, cue_end: int, colon: int) -> tuple[str, str]:
    """(deadline, lead-in) to carry into each item; either may be ""."""
    rest = body[cue_end:colon].strip()
    rest = _LIST_FILLER.sub("", rest[_ADDRESSEE.match(rest).end() :]).strip()
    if not rest:
        return "", ""
    when = _LEAD_WHEN.fullmatch(rest)
    if when and _TIME_WORD.search(when["when"]):
        return when["when"].strip(), ""
    return "", _clean(body[clause_start:colon])


# --- Raised elsewhere ----------------------------------------------------

_RAISE = r"(?:反映|投诉|反馈|沟通|提出|提过|提及|说明|联系|报告|交涉|举报|说)"
_NOT_RAISED = re.compile(
    rf"(?:首次|第一次)(?:向|就|书面|正式)?{_RAISE}?"
    rf"|(?:尚未|还未|还没有?|没有|并未|未曾|从未)(?:向|跟|和|与|同)[^，。；\n]{{0,20}}?"
    rf"{_RAISE}|(?:尚未|还没有?|没有|未曾|从未){_RAISE}过"
    r"|first\s+time\s+(?:we|i)\s+(?:have\s+)?(?:raised?|contact|complain|report)"
    r"|(?:have|has)\s+not\s+(?:yet\s+)?(?:raised|reported|complained|contacted)",
    re.ASCII,
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
    r"|already\s+(?:raised|reported|complained|contacted|spoken|discussed"
    r"|mentioned|escalated|written)"
    r"|(?:have|had)\s+(?:previously\s+|already\s+)?(?:raised|reported|complained"
    r"|escalated)\b|previously\s+(?:raised|reported|complained|contacted)"
    r"|(?:several|many|multiple)\s+times\b|repeatedly\b|on\s+(?:several|multiple)"
    r"\s+occasions\b|(?:no|without\s+any)\s+(?:response|reply)\b",
    re.ASCII,
)
# Each alternative above starts with one of these words; the patterns are
# only tried where one occurs.
_RAISE_TRIGGERS = Lexicon(
    {
        word: word
        for word in _split(
            "首次 第一次 尚未 还未 还没 没有 并未 未曾 从未 已 之前 此前 先前 前期 以前"
            " 上次 曾 早前 多次 屡次 反复 再三 一再 找过 反映过 投诉过 沟通过 交涉过 催过"
            " 联系过 再次 至今 迄今 一直 仍 始终 first have has had already previously"
            " several many multiple repeatedly on no without"
        )
    }
)


def _reported_elsewhere(text: str) -> bool | None:
    """True if raised before, False if said to be the first time, else None.

    Denials are found first so that "没有向其他部门反映过" does not read as
    "反映过"; a real earlier contact still wins over "首次书面投诉".
    """
    folded = fold_case(text)
    triggers = [start for start, _, _, _ in _RAISE_TRIGGERS.finditer(folded)]
    denials: list[Span] = []
    for start in triggers:
        match = _NOT_RAISED.match(folded, start)
        if match:
            denials.append(match.span())
    for start in triggers:
        match = _RAISED.match(folded, start)
        if match and not any(s < match.end() and start < e for s, e in denials):
            return True
    return False if denials else None


# --- Entry point ---------------------------------------------------------


def _name_and_title(
    signature: str, body: str, sender_name: str | None
) -> tuple[str | None, str | None]:
    # The signature is the writer's own statement; a self-introduction in the
    # body and then the mail's display name fill what it leaves out.
    name, title = _person(signature)
    if not (name and title):
        found = _self_introduction(body)
        name, title = name or found[0], title or found[1]
    if not (name and title):
        found = _sender_person(sender_name)
        name, title = name or found[0], title or found[1]
    return _as_written(name, sender_name), title


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

    name, title = _name_and_title(signature, body, sender_name)
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
