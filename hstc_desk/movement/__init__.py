"""Movement: timeline and route-map queries, aggregation, level of detail and view markings.

No Qt here: the views in ``hstc_desk.gui.movement`` draw what these functions return.
"""
