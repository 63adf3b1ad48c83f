"""Which clusters and works one overview must format on its own, and how runs are shared.

Each overview is a document of its own (its own year suffixes and initials); only the
groups of works where that can differ from the site get a run (:func:`page_plan`), and
pages that cannot affect each other share one (:func:`pack`). Clusters whose works must be
formatted in different runs are cut into same-group parts (:func:`split_cluster`).
"""

from __future__ import annotations

from dataclasses import dataclass
from json.encoder import encode_basestring

from kop.core.model import Citation


def cluster_signature(citation: Citation) -> str:
    """A canonical text for a citation cluster, used as its cache and lookup key.

    Kept on the citation once made: a build asks for it several times per cluster (plans,
    cache keys, rendering), and a cluster is never changed after it is read.
    """
    kept = citation.__dict__.get("_signature")
    if kept is not None:
        return kept
    text = encode_basestring  # what json.dumps(..., ensure_ascii=False) writes, without its overhead
    parts = [
        f"[{text(item.prefix)}, {text(item.key)}, {text(item.locator)}, {'true' if item.suppress_author else 'false'}]"
        for item in citation.items
    ]
    signature = ("T" if citation.in_text else "P") + "|".join(parts)
    citation.__dict__["_signature"] = signature
    return signature


def pack(plans: list[PagePlan], group_of: dict[str, str], limit: int) -> list[list[PagePlan]]:
    """Share Pandoc runs between pages that cannot affect each other (first fit, in page order).

    Two pages fit in one run when every group both format holds the same works on both pages
    (so each work meets exactly its own page's neighbours), and the run stays under ``limit``
    works. A run costs about half a second whatever its size, so this keeps a site with many
    pages at a few runs.
    """
    bins: list[tuple[list[PagePlan], dict[str, frozenset[str]], set[str]]] = []
    for plan in plans:
        members: dict[str, set[str]] = {}
        for key in plan.keys:
            members.setdefault(group_of[key], set()).add(key)
        frozen = {g: frozenset(m) for g, m in members.items()}
        for placed, seen, keys in bins:
            if all(seen.get(g, m) == m for g, m in frozen.items()) and len(keys | set(plan.keys)) <= max(1, limit):
                placed.append(plan)
                seen.update(frozen)
                keys.update(plan.keys)
                break
        else:
            bins.append(([plan], dict(frozen), set(plan.keys)))
    return [placed for placed, _, _ in bins]


def head_and_more(cit: Citation) -> bool:
    """An author-in-text cluster with further works, "@a [@b]": always formatted in parts.

    Pandoc sorts the further works together with the first one, so when one of them sorts
    first it writes "(Andersson m.fl., 2011; Löfström; 2010a)". In parts (see
    :func:`_join_cluster`) it is "Löfström (2010a; Andersson m.fl., 2011)".
    """
    return cit.in_text and len(cit.items) > 1


@dataclass
class PagePlan:
    keys: list[str]  # the works formatted in the page's own run
    unique: dict[str, Citation]  # signature -> cluster, including the parts of split clusters
    run_sigs: list[str]  # the clusters sent to Pandoc
    wanted: list[str]  # the page's clusters that differ from the site
    cross: dict[str, tuple[str | None, list[str], bool]]  # clusters formatted in parts


class Traits:
    """Each work's year and first given name, worked out once for all pages.

    Why: the clash test compares cited works with the uncited works of their group on every
    page; reading the year and the given names out of the CSL items for each comparison was
    most of ``page_plan``'s time (about 20,000 reads per build on the benchmark corpus).
    """

    def __init__(self, items: dict[str, dict]) -> None:
        self.year = {key: year(item) for key, item in items.items()}
        self.given = {key: first_given(item) for key, item in items.items()}

    def clashes(self, members: list[str], cited: set[str]) -> bool:
        """Whether a cited member of a group clashes (:func:`clash`) with a member the page does not cite."""
        year, given = self.year, self.given
        outside = [(year[k], given[k]) for k in members if k not in cited]
        if not outside:
            return False
        for key in members:
            if key in cited:
                y, g = year[key], given[key]
                if any(other_year == y or other_given != g for other_year, other_given in outside):
                    return True
        return False


def page_plan(
    citations: list[Citation], items: dict[str, dict], groups: dict[str, list[str]], group_of: dict[str, str],
    ids: dict[str, str], traits: Traits | None = None,
) -> PagePlan | None:
    """What one page must format on its own: (keys, clusters, their signatures), or None.

    A group (works with the same first-author family name) renders differently on the page
    than on the site only if a work the page cites clashes with one it does not cite: the
    same year (a year suffix) or other given names (initials). The run holds the page's
    clusters that cite such a group, and every work the page cites from the groups of
    those clusters' works, so each is disambiguated against exactly the page's works.
    ``traits`` (made once for all pages) makes the clash test fast; without it, it is made here.
    """
    traits = traits if traits is not None else Traits(items)
    unique: dict[str, Citation] = {}
    for cit in citations:
        if cit.items and all(item.key in ids for item in cit.items):
            unique.setdefault(cluster_signature(cit), cit)
    cited = {item.key for cit in unique.values() for item in cit.items}
    clashing = set()
    for gkey in {group_of[k] for k in cited}:
        members = groups[gkey]
        if len(members) >= 2 and traits.clashes(members, cited):
            clashing.add(gkey)
    if not clashing:
        return None
    sigs = sorted(sig for sig, cit in unique.items() if any(group_of[i.key] in clashing for i in cit.items))
    touched = {group_of[item.key] for sig in sigs for item in unique[sig].items}
    keys = sorted((k for k in cited if group_of[k] in touched), key=lambda k: ids[k])
    run_sigs: list[str] = []
    cross = {}
    for sig in sigs:
        if not head_and_more(unique[sig]):
            run_sigs.append(sig)
            continue
        cross[sig] = split_cluster(unique[sig], group_of, unique)
        head_sig, sub_sigs, _ = cross[sig]
        run_sigs += [s for s in ([head_sig] if head_sig else []) + sub_sigs if s not in run_sigs]
    run_sigs = list(dict.fromkeys(run_sigs))
    return PagePlan(keys, unique, run_sigs, sigs, cross)


def suffix_candidates(items: dict[str, dict], groups: dict[str, list[str]]) -> set[str]:
    """The works that may get a year suffix ("2010a") on some page or on the site.

    APA adds a suffix only to works whose citations would otherwise read the same: the same
    first author (so the same group) and the same year. A work whose year is not a plain
    year (no date, in press, a literal) may read like any other in its group, so its whole
    group is counted. Every other work's reference entry is the same in every document it
    is formatted in (disambiguation by names and initials changes the citations only), so a
    page's own run need not write it out (:func:`kop.cite.batch.page_style`).
    """
    out: set[str] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        years: dict[str, list[str]] = {}
        for key in members:
            years.setdefault(year(items[key]), []).append(key)
        if any(not y.isdigit() for y in years):
            out.update(members)
            continue
        for same in years.values():
            if len(same) > 1:
                out.update(same)
    return out


def clash(a: dict, b: dict) -> bool:
    """Whether APA may tell two works of one group apart (same year, or first authors' given names differ)."""
    return year(a) == year(b) or first_given(a) != first_given(b)


def year(item: dict) -> str:
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if parts and parts[0]:
        return str(parts[0][0])
    return str(issued.get("literal") if isinstance(issued, dict) else "") + "|" + str(item.get("status") or "")


def first_given(item: dict) -> str:
    for role in ("author", "editor"):
        names = item.get(role) or []
        if names and isinstance(names[0], dict):
            return str(names[0].get("given") or "")
    return ""


def split_cluster(
    cit: Citation, group_of: dict[str, str], unique: dict[str, Citation]
) -> tuple[str | None, list[str], bool]:
    """Cut a cluster whose works live in different buckets into same-group sub-clusters.

    Returns (signature of the author-in-text head or None, sub-cluster signatures, whether
    the source order must be kept). Like Pandoc, a cluster is sorted unless an item has a
    prefix; sorted clusters are cut by group (so same-author works can still collapse into
    "2010a, 2010b"), unsorted ones into runs of consecutive same-group items.
    """
    items = list(cit.items)
    head_sig = None
    if cit.in_text:
        head = Citation(items=[items[0]], in_text=True, start=0, end=0, line=0, column=0)
        head_sig = cluster_signature(head)
        unique.setdefault(head_sig, head)
        items = items[1:]
    keep_order = any(item.prefix for item in cit.items)
    runs: list[list] = []
    if keep_order:
        for item in items:
            if runs and group_of[runs[-1][-1].key] == group_of[item.key]:
                runs[-1].append(item)
            else:
                runs.append([item])
    else:
        by_group: dict[str, list] = {}
        for item in items:
            by_group.setdefault(group_of[item.key], []).append(item)
        runs = list(by_group.values())
    sub_sigs = []
    for run in runs:
        sub = Citation(items=run, in_text=False, start=0, end=0, line=0, column=0)
        sub_sigs.append(cluster_signature(sub))
        unique.setdefault(sub_sigs[-1], sub)
    return head_sig, sub_sigs, keep_order
