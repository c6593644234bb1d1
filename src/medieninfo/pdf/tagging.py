"""Tagged PDF (PDF/UA-1): the structure tree, built with the story and filled while drawing.

The layout stage builds the skeleton of the tree (``Document`` → ``H1``, ``P``, ``L`` …) in
reading order, one :class:`Node` per flowable, before anything is drawn. While the pages are
drawn, each flowable asks the canvas's :class:`Recorder` for a marked-content operator
(``/P <</MCID n>> BDC``), so every piece of text gets an MCID on its page and the node gets
that MCID as a kid. A paragraph split across pages thus gets one MCID per page piece and
stays one element. When the document is complete, :meth:`Recorder.write` writes the tree
into ReportLab's document: ``StructElem`` dictionaries, the ``StructTreeRoot`` with its
``ParentTree`` (page MCIDs and link annotations back to their elements), ``/StructParents`` and
``/Tabs /S`` on the pages, ``/MarkInfo`` in the catalog. The tree's objects are written as
bytes (:mod:`.written`), in the layout ReportLab's formatter gives them, rather than built
as ReportLab dictionaries that its formatter then takes apart again.

Marking inside our own ReportLab layer, rather than re-parsing the content streams afterwards
with pikepdf, keeps one pass and no extra import on a cold render: the flowables already know
what they are; a post-processor would have to rediscover it from glyph positions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

from .written import Written, array, dictionary, dictionary_of, name, reference, register

#: Structure types we use that ISO 32000-1 (14.8.4) does not define, with the standard type
#: each stands for (PDF/UA-1 7.1: a RoleMap entry for every non-standard type). ``Aside`` is
#: PDF 2.0's name for content beside the main text, as the letterhead's sender block is.
ROLE_MAP = {"Aside": "Sect"}

#: Artifact properties for what repeats on every page (ISO 32000-1, 14.8.2.2).
ARTIFACT_HEADER = "/Artifact <</Type /Pagination /Subtype /Header>> BDC"
ARTIFACT_FOOTER = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
END = "EMC"


@dataclass(frozen=True)
class MarkedContent:
    """One marked-content sequence: an MCID on a page (0-based)."""

    page: int
    mcid: int


@dataclass(eq=False)
class LinkAnnotation:
    """A link annotation owned by a ``Link`` element; its /StructParent is set on writing."""

    page: int
    name: str
    annotation: Any


@dataclass(eq=False)
class Node:
    """A structure element; ``kids`` in reading order."""

    role: str
    parent: Node | None = None
    kids: list[Node | MarkedContent | LinkAnnotation] = field(default_factory=list)
    alt: str | None = None
    url: str | None = None
    #: Bounding box on its page (x0, y0, x1, y1), for a Figure's layout attributes.
    bbox: tuple[float, float, float, float] | None = None

    def add(self, role: str, *, alt: str | None = None, url: str | None = None) -> Node:
        child = Node(role, self, alt=alt, url=url)
        self.kids.append(child)
        return child

    def prepend(self, role: str) -> Node:
        child = Node(role, self)
        self.kids.insert(0, child)
        return child

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.walk()

    def ancestor(self, role: str) -> Node | None:
        node: Node | None = self
        while node is not None and node.role != role:
            node = node.parent
        return node


def new_document() -> Node:
    return Node("Document")


class Recorder:
    """Hands out MCIDs while pages are drawn and writes the structure tree at the end."""

    def __init__(self, root: Node) -> None:
        self.root = root
        # page → owner of each MCID, in MCID order: this is the ParentTree's array per page.
        self._owners: dict[int, list[Node]] = {}
        self._annotations: list[tuple[Node, LinkAnnotation]] = []
        # Link elements waiting for the annotation ReportLab creates after drawing the text.
        self._open_links: dict[str, Node] = {}
        # Top-level elements of later pages' sidebars, placed when the tree is written.
        self._asides: list[tuple[int, Node]] = []

    def begin(self, page: int, node: Node) -> str:
        """The BDC operator that makes what follows on ``page`` part of ``node``."""
        owners = self._owners.setdefault(page, [])
        mcid = len(owners)
        owners.append(node)
        node.kids.append(MarkedContent(page, mcid))
        if node.url is not None:
            self._open_links[node.url] = node
        return f"/{node.role} <</MCID {mcid}>> BDC"

    def count(self, page: int) -> int:
        """How many MCIDs ``page`` has so far."""
        return len(self._owners.get(page, ()))

    def retarget(self, page: int, mcid: int, node: Node) -> str:
        """Give the marked content ``mcid`` of ``page`` to ``node``; its new BDC operator."""
        owners = self._owners[page]
        owners[mcid].kids.remove(MarkedContent(page, mcid))
        owners[mcid] = node
        node.kids.append(MarkedContent(page, mcid))
        if node.url is not None:
            self._open_links[node.url] = node
        return f"/{node.role} <</MCID {mcid}>> BDC"

    def release_if_last(self, page: int, mcid: int) -> bool:
        """Take back ``mcid`` if it is the last one handed out on ``page`` (its sequence is
        then not written); False if another came after it."""
        owners = self._owners[page]
        if mcid != len(owners) - 1:
            return False
        owners.pop().kids.remove(MarkedContent(page, mcid))
        return True

    def page_aside(self, page: int, role: str) -> Node:
        """A top-level element for what ``page`` draws before its text (the sidebar).

        It is placed in reading order when the tree is written (:meth:`_place_asides`).
        """
        node = Node(role, self.root)
        self._asides.append((page, node))
        return node

    def _place_asides(self) -> None:
        """Put each page's aside before the first element the page's text belongs to.

        The sidebar is painted before the text, so the tree keeps each page's painting
        order. Where a page's text begins with the rest of an element from the previous page
        (a paragraph split by the page break), the aside comes before that element, which
        stays whole; the previous page has nothing of the aside, so its order holds too.
        """
        kids = self.root.kids
        for page, aside in self._asides:
            top = next(
                (owner for owner in self._owners.get(page, ()) if not _within(owner, aside)),
                None,
            )
            while top is not None and top.parent is not self.root:
                top = top.parent
            kids.insert(kids.index(top) if top is not None else len(kids), aside)
        self._asides.clear()

    def link_for(self, url: str) -> Node | None:
        return self._open_links.get(url)

    def annotate(self, node: Node, page: int, name: str, annotation: Any) -> None:
        """Record that ``annotation`` (ReportLab's annotation named ``name``) belongs to node."""
        kid = LinkAnnotation(page, name, annotation)
        node.kids.append(kid)
        self._annotations.append((node, kid))

    def write(self, doc: Any) -> None:
        """Add the structure tree to a ReportLab ``PDFDocument`` whose pages are complete.

        Each element is registered with the document as a :class:`~.written.Written`
        object first, so that every object number is known, and then written as bytes.
        """
        pages = doc.Pages.pages
        self._place_asides()
        nodes = _with_content(self.root)
        elements = [Written() for _ in nodes]
        refs = {
            node: register(doc, element, f"StructElem{index}")
            for index, (node, element) in enumerate(zip(nodes, elements, strict=True))
        }
        parent_tree = Written()
        parent_ref = register(doc, parent_tree, "ParentTree")
        tree_root = Written()
        root_ref = register(doc, tree_root, "StructTreeRoot")

        # ReportLab names its page objects Page1, Page2, … (PDFDocument.thisPageName).
        page_refs = [reference(doc, f"Page{page + 1}") for page in range(len(pages))]
        for node, element in zip(nodes, elements, strict=True):
            element.data = _struct_elem(node, doc, refs, page_refs, root_ref)

        # ParentTree keys: one per page (its /StructParents), then one per annotation.
        nums: list[bytes] = []
        for page in range(len(pages)):
            owners = self._owners.get(page, ())
            nums += [b"%d" % page, array([refs[owner] for owner in owners])]
            pages[page].StructParents = page
        for key, (node, kid) in enumerate(self._annotations, start=len(pages)):
            kid.annotation["StructParent"] = key
            nums += [b"%d" % key, refs[node]]
        for page_object in pages:
            extra = ["StructParents"]
            if page_object.Annots:
                # Tab order follows the structure on pages with links (PDF/UA-1, 7.18.3).
                page_object.Tabs = pdfdoc.PDFName("S")
                extra.append("Tabs")
            page_object.__NoDefault__ = [*type(page_object).__NoDefault__, *extra]
        parent_tree.data = dictionary({"Nums": array(nums)})
        entries = {
            "Type": name("StructTreeRoot"),
            "K": array([refs[self.root]]),
            "ParentTree": parent_ref,
            "ParentTreeNextKey": b"%d" % (len(pages) + len(self._annotations)),
        }
        used = {node.role for node in nodes}
        role_map = {role: name(standard) for role, standard in ROLE_MAP.items() if role in used}
        if role_map:
            entries["RoleMap"] = dictionary(role_map)
        tree_root.data = dictionary(entries)
        doc.Catalog.StructTreeRoot = doc.Reference(tree_root)
        doc.Catalog.MarkInfo = pdfdoc.PDFDictionary({"Marked": b"true"})


def _within(node: Node | None, ancestor: Node) -> bool:
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False


def _with_content(root: Node) -> list[Node]:
    """The elements in reading order that have marked content below them; the others
    (e.g. nothing drawn) are left out. One pass over the tree."""
    found: list[Node] = []

    def visit(node: Node) -> bool:
        found.append(node)
        content = False
        for kid in node.kids:
            content = (visit(kid) if isinstance(kid, Node) else True) or content
        if not content:
            # Nothing below it has content either: each of those took itself out.
            found.pop()
        return content

    visit(root)
    return found


#: A StructElem of one MCID, as :func:`_struct_elem` writes it with ``pdfMultiLine`` off:
#: five entries, so no line break (dictionary_of breaks before the seventh).
_SINGLE = b"<<\n/K %d /P %s /Pg %s /S %s /Type /StructElem\n>>"


def _struct_elem(
    node: Node, doc: Any, refs: dict[Node, bytes], page_refs: list[bytes], root_ref: bytes
) -> bytes:
    """One ``StructElem`` dictionary, written; its entries in the sorted order ReportLab
    writes them in (A, Alt, K, P, Pg, S, Type)."""
    if (
        len(node.kids) == 1
        and type(kid := node.kids[0]) is MarkedContent
        and node.bbox is None
        and not node.alt
        and not rl_config.pdfMultiLine
    ):
        # Most elements (a paragraph, a heading, a sidebar line) are one marked-content
        # sequence: their five entries in one step, as the steps below write them.
        parent = refs[node.parent] if node.parent is not None else root_ref
        return _SINGLE % (kid.mcid, parent, page_refs[kid.page], name(node.role))
    first_page: int | None = None
    for kid in node.kids:
        if not isinstance(kid, Node):
            first_page = kid.page
            break
    kids: list[bytes] = []
    for kid in node.kids:
        if isinstance(kid, Node):
            if kid in refs:
                kids.append(refs[kid])
        elif isinstance(kid, MarkedContent):
            if kid.page == first_page:
                kids.append(b"%d" % kid.mcid)
            else:
                mcid = b"/MCID %d" % kid.mcid
                kids.append(dictionary_of([mcid, b"/Pg " + page_refs[kid.page], b"/Type /MCR"]))
        else:
            annotation = b"/Obj " + reference(doc, f"Annot.{kid.name}")
            kids.append(dictionary_of([annotation, b"/Pg " + page_refs[kid.page], b"/Type /OBJR"]))
    parts: list[bytes] = []
    if node.bbox is not None:
        # ISO 32000-1, 14.8.5.4.3: BBox is required for a Figure in the page content.
        box = array([pdfdoc.format(value, doc) for value in node.bbox])
        parts.append(b"/A " + dictionary_of([b"/BBox " + box, b"/O /Layout", b"/Placement /Block"]))
    if node.alt:
        parts.append(b"/Alt " + pdfdoc.PDFString(node.alt).format(doc))
    # A single kid is written bare (ISO 32000-1 allows both); pdfua 0.1.3's heading rule
    # crashes on a /K array holding an MCID, and headings mostly have one kid.
    parts.append(b"/K " + (kids[0] if len(kids) == 1 else array(kids)))
    parts.append(b"/P " + (refs[node.parent] if node.parent is not None else root_ref))
    if first_page is not None:
        parts.append(b"/Pg " + page_refs[first_page])
    parts.append(b"/S " + name(node.role))
    parts.append(b"/Type /StructElem")
    return dictionary_of(parts)
