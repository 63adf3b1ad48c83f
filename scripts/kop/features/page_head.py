"""Head metadata of each overview page: Highwire ``citation_*``, JSON-LD and Open Graph.

The values come from :func:`kop.render.headmeta.overview_head`; this feature supplies the
absolute addresses they need (the page, its permanent link, its preview image). For a
demonstration example the head carries the example mark and no ``citation_*`` tags; the
``citation_pdf_url`` of a real overview is added from the PDF feature's ``pdf`` address once
the page's parts are merged (:func:`kop.render.headmeta.with_pdf_url`).
"""

from __future__ import annotations

from kop.core.model import Overview
from kop.core.urls import absolute, overview_url, permalink
from kop.features.base import BaseFeature, BuildContext
from kop.render.headmeta import OG_IMAGE_NAME, overview_head
from kop.render.overview import PageParts


class PageHeadFeature(BaseFeature):
    name = "page-head"

    def page_parts(self, ov: Overview, ctx: BuildContext) -> PageParts:
        image = absolute(ctx.site_url, overview_url(ov) + OG_IMAGE_NAME) if ctx.site_url else None
        head = overview_head(ov, page_url=absolute(ctx.site_url, overview_url(ov)),
                             permalink_url=absolute(ctx.site_url, permalink(str(ov.meta.get("id")))),
                             image_url=image, site_name=ctx.site_name, publisher=ctx.publisher)
        return PageParts(head=head)
