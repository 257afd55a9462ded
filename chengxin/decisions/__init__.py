"""Major administrative decisions (重大行政决策): the yearly catalogue and the mandatory procedure of
国务院令第713号.
"""
