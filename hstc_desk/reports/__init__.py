"""Product PDFs (DESIGN §5, issue 11 items 4 and 5), reportlab only, no Qt.

- ``render.render(product, signoff=, titles=, images=)`` / ``render_document(Document)``: the
  marked PDF bytes, deterministic;
- ``from_store.document_of(store, product_id, version=, tearline=)``: what a PDF needs from a
  store (the signed tearline version for ``tearline``);
- ``verify.verify_pdf(pdf, trusted)``: the checks of ``hstc report verify``;
- ``rollup.rollup_portions(marks)``: the banner of many portion marks, each distinct one once.
"""
