"""The demo district's identity, in one place: 台儿庄区 of 枣庄市 (行政区划代码 370405).

Only the demo (`chengxin demo`), the test fixtures and the benchmarks use it. A real installation
takes its district from `chengxin setup` (`core.regions`); nothing outside the demo falls back to
these values.
"""

from __future__ import annotations

DIVISION = "370405"
NAME = "台儿庄区"
CITY = "枣庄市"
GOVERNMENT = f"{NAME}人民政府"
