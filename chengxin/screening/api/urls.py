"""JSON API of credit checks for the approval and trading systems (Bearer tokens): the
ninja API's URLs (`views.api`), mounted at /api/v1/ in chengxin/urls.py."""

from chengxin.screening.api.views import api

urls = api.urls
