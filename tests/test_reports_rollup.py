"""The fast roll-up the PDF and the bench use (reports.rollup) says exactly what the markings
engine says of the whole list, whatever the marks, their order or their repeats; and the bench
product is the one the issue asks for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hstc_desk import markings
from hstc_desk.bench.products_bench import FIGURES, PORTIONS, bench_product, bench_signoff
from hstc_desk.reports.render import render_document
from hstc_desk.reports.rollup import rollup_portions
from hstc_desk.reports.story import Document

from markings_strategies import valid_markings


@settings(max_examples=300, deadline=None)
@given(st.lists(valid_markings(), min_size=1, max_size=12),
       st.lists(st.integers(min_value=0, max_value=11), max_size=40))
def test_distinct_rollup_equals_the_engine(marks: list[markings.Marking],
                                           repeats: list[int]) -> None:
    texts = [m.portion() for m in marks]
    texts += [texts[i % len(texts)] for i in repeats]  # repeats in any order
    assert rollup_portions(texts) == markings.rollup(markings.parse(t) for t in texts)
    assert rollup_portions(reversed(texts)) == rollup_portions(texts)


def test_bench_product_is_fifty_pages_of_200_portions_and_10_figures() -> None:
    product, images = bench_product()
    assert len(product.portions) == PORTIONS and len(product.figures()) == FIGURES == len(images)
    pdf = render_document(Document(product, bench_signoff(product), {}, images))
    pages = pdf.count(b"/Type /Page\n")
    assert 44 <= pages <= 56, pages
    assert pdf == render_document(Document(product, bench_signoff(product), {}, images))
