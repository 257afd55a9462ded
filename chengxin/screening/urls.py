"""Staff pages of 联合奖惩: lists and the measures catalogue (lists_urls), checks (checks_urls)."""

from chengxin.screening import checks_urls, lists_urls

app_name = "screening"
urlpatterns = lists_urls.urlpatterns + checks_urls.urlpatterns
