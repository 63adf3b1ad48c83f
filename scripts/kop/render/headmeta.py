"""Metadata for the page head: Highwire ``citation_*``, schema.org JSON-LD, Open Graph, Twitter Card.

Reference managers (Zotero) and Google Scholar read the Highwire tags; link previews in
e-mail clients, Teams and LinkedIn read Open Graph/Twitter tags. The values travel to
the template ``theme/kop/head-meta.html`` through the generated page's front matter as
a ``kop`` mapping of RAW strings that the template escapes with ``|e`` -- except the
JSON-LD, which is serialised here for a ``<script>`` context (``<``, ``>`` and ``&``
written as ``\\u003c`` …), so a title containing ``</script>`` cannot end the element.
The canonical URL itself comes from Material (``page.canonical_url``, from ``site_url``).

Demonstration examples (``example: true``) say so in every title and description, and get
no Highwire ``citation_*`` tags at all: Google Scholar and reference managers read those
tags as a scholarly publication, which an example is not.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kop.core.model import Overview
from kop.core.urls import absolute
from kop.render.marks import EXAMPLE_SENTENCE, EXAMPLE_TEXT, is_example

LICENSE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}
OG_IMAGE_NAME = "forhandsvisning.png"
OG_IMAGE_SIZE = (1200, 630)

# The example mark in exports (issue 13); the badge and the sentence come from kop.render.marks.
EXAMPLE_PREFIX = f"{EXAMPLE_TEXT}: "
EXAMPLE_GENRE = "Demonstrationsexempel"  # the kind of work, where a real overview says "Kunskapsöversikt"
EXAMPLE_NOTE = "Demonstrationsexempel, inte en riktig kunskapsöversikt"  # note fields of BibTeX, RIS, CSL
PDF_KEY = "pdf"  # PageParts.head key under which the PDF feature puts the site-relative PDF address


def marked_title(meta: Mapping[str, Any], title: str) -> str:
    """``title`` with "Exempel: " in front for an example, unchanged otherwise."""
    return EXAMPLE_PREFIX + title if is_example(meta) else title


def script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/ld+json">``: no literal ``<``, ``>`` or ``&``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _flat(value: Any, limit: int | None = None) -> str:
    text = " ".join(str(value or "").split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text


def overview_head(ov: Overview, *, page_url: str, permalink_url: str, image_url: str | None, site_name: str,
                  publisher: str) -> dict[str, Any]:
    """The ``kop`` front-matter mapping for an overview page (raw values; escaped in the template).

    An example gets the mark in its link-preview titles and descriptions and in the JSON-LD, and
    no ``citation_*`` tags, so scholarly indexers never list it (``citation_pdf_url``: :func:`with_pdf_url`).
    """
    meta = ov.meta
    example = is_example(meta)
    title = _flat(meta.get("title", ov.slug))
    shown = marked_title(meta, title)
    summary = _flat(f"{EXAMPLE_SENTENCE} {meta.get('summary') or ''}" if example else meta.get("summary"), 300)
    published = str(meta.get("published") or "")
    updated = str(meta.get("updated") or published)
    authors = [a for a in meta.get("authors") or [] if isinstance(a, dict)]

    tags: list[dict[str, str]] = [{"name": "citation_title", "content": title}]
    for author in authors:
        tags.append({"name": "citation_author", "content": _flat(author.get("name"))})
        if author.get("affiliation"):
            tags.append({"name": "citation_author_institution", "content": _flat(author["affiliation"])})
        if author.get("orcid"):
            tags.append({"name": "citation_author_orcid", "content": f"https://orcid.org/{author['orcid']}"})
    if published:
        tags.append({"name": "citation_publication_date", "content": published.replace("-", "/")})
        tags.append({"name": "citation_online_date", "content": updated.replace("-", "/")})
    tags += [
        {"name": "citation_publisher", "content": publisher},
        {"name": "citation_technical_report_institution", "content": publisher},
        {"name": "citation_technical_report_number", "content": str(meta.get("id", ""))},
        {"name": "citation_language", "content": "sv"},
        {"name": "citation_abstract_html_url", "content": page_url},
        {"name": "citation_fulltext_html_url", "content": page_url},
    ]
    if meta.get("keywords"):
        tags.append({"name": "citation_keywords", "content": "; ".join(_flat(k) for k in meta["keywords"])})
    if example:
        tags = []  # no Highwire tags at all: an example is not a publication
    tags += [
        {"name": "twitter:card", "content": "summary_large_image" if image_url else "summary"},
        {"name": "twitter:title", "content": shown},
        {"name": "twitter:description", "content": summary},
    ]
    og: list[dict[str, str]] = [
        {"property": "og:type", "content": "article"},
        {"property": "og:title", "content": shown},
        {"property": "og:description", "content": summary},
        {"property": "og:url", "content": page_url},
        {"property": "og:site_name", "content": site_name},
        {"property": "og:locale", "content": "sv_SE"},
    ]
    if published:
        og.append({"property": "article:published_time", "content": published})
        og.append({"property": "article:modified_time", "content": updated})
    if image_url:
        alt = f"{shown} – kunskapsöversikt {meta.get('id', '')}"
        og += [
            {"property": "og:image", "content": image_url},
            {"property": "og:image:type", "content": "image/png"},
            {"property": "og:image:width", "content": str(OG_IMAGE_SIZE[0])},
            {"property": "og:image:height", "content": str(OG_IMAGE_SIZE[1])},
            {"property": "og:image:alt", "content": alt},
        ]
        tags += [{"name": "twitter:image", "content": image_url}, {"name": "twitter:image:alt", "content": alt}]

    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": permalink_url,
        "identifier": str(meta.get("id", "")),
        "headline": shown[:110],
        "name": shown,
        "abstract": _flat(meta.get("summary")),
        "inLanguage": "sv",
        "url": page_url,
        "sameAs": permalink_url,
        "author": [_person(a) for a in authors],
        "publisher": {"@type": "Organization", "name": publisher},
        "isAccessibleForFree": True,
        "genre": EXAMPLE_GENRE if example else "Kunskapsöversikt",
    }
    if example:
        ld["description"] = EXAMPLE_SENTENCE
        ld["creativeWorkStatus"] = EXAMPLE_TEXT
    if published:
        ld["datePublished"] = published
        ld["dateModified"] = updated
    if meta.get("version"):
        ld["version"] = str(meta["version"])
    if meta.get("keywords"):
        ld["keywords"] = [_flat(k) for k in meta["keywords"]]
    if meta.get("area"):
        ld["about"] = [_flat(a) for a in meta["area"]]
    if LICENSE_URLS.get(str(meta.get("license"))):
        ld["license"] = LICENSE_URLS[str(meta["license"])]
    if image_url:
        ld["image"] = image_url
    return {"meta": tags, "og": og, "jsonld": script_json(ld)}


def with_pdf_url(head: Mapping[str, Any] | None, site_url: str) -> Mapping[str, Any] | None:
    """The merged page head with ``citation_pdf_url`` added from the PDF feature's ``pdf`` address.

    Called once the features' heads are merged (each feature only sees its own part). The tag
    joins only a head that already carries ``citation_*`` tags, so an example (which has none)
    never gets one. ``site_url`` makes the address absolute, as Google Scholar asks.
    """
    if not head or not head.get(PDF_KEY):
        return head
    tags = list(head.get("meta") or [])
    scholarly = [i for i, tag in enumerate(tags) if str(tag.get("name", "")).startswith("citation_")]
    if not scholarly or any(tag.get("name") == "citation_pdf_url" for tag in tags):
        return head
    tag = {"name": "citation_pdf_url", "content": absolute(site_url, str(head[PDF_KEY]))}
    tags.insert(scholarly[-1] + 1, tag)  # with the other citation_* tags
    return {**head, "meta": tags}


def _person(author: dict[str, Any]) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": _flat(author.get("name"))}
    if author.get("affiliation"):
        person["affiliation"] = {"@type": "Organization", "name": _flat(author["affiliation"])}
    if author.get("orcid"):
        person["sameAs"] = f"https://orcid.org/{author['orcid']}"
    return person


def simple_head(title: str, description: str, page_url: str, site_name: str, kind: str = "website") -> dict[str, Any]:
    """Open Graph and Twitter tags for other pages (seminars): a text-only link preview."""
    title, description = _flat(title), _flat(description, 300)
    return {
        "meta": [{"name": "twitter:card", "content": "summary"}, {"name": "twitter:title", "content": title},
                 {"name": "twitter:description", "content": description}],
        "og": [{"property": "og:type", "content": kind}, {"property": "og:title", "content": title},
               {"property": "og:description", "content": description}, {"property": "og:url", "content": page_url},
               {"property": "og:site_name", "content": site_name}, {"property": "og:locale", "content": "sv_SE"}],
        "jsonld": "",
    }
