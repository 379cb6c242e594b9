# The regular-language engine of liblattice (owned apart from label/privset/rights).
