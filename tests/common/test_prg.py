"""Post/redirect/get for refused forms: the input and the message wait for the page's next GET,
once, and only on that page."""

from django import forms
from django.contrib.messages import get_messages
from django.test import RequestFactory

from common import prg


def _request(rf: RequestFactory, method: str, path: str, data=None):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore

    request = getattr(rf, method)(path, data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_refused_form_redirects_to_its_page_with_what_was_typed(rf):
    post = _request(rf, "post", "/x/do/", {"title": "件名", "csrfmiddlewaretoken": "t"})
    response = prg.refuse(post, to="/x/#tasks", key="task_add", message="だめです")
    assert (response.status_code, response["Location"]) == (302, "/x/#tasks")
    assert [str(m) for m in get_messages(post)] == ["だめです"]
    get = _request(rf, "get", "/x/")
    get.session = post.session
    refused = prg.take(get)
    assert refused.key == "task_add"
    assert refused.data.dict() == {"title": "件名"}  # never the CSRF token
    assert prg.take(get) is None  # once: a reload shows the page clean


def test_another_page_leaves_the_refused_form_for_its_own(rf):
    post = _request(rf, "post", "/x/do/", {"title": "件名"})
    prg.refuse(post, to="/x/", key="task_add")
    other = _request(rf, "get", "/y/")
    other.session = post.session
    assert prg.take(other) is None
    mine = _request(rf, "get", "/x/")
    mine.session = post.session
    assert prg.take(mine) is not None


def test_the_refusal_names_its_field_on_the_bound_form(rf):
    class TitleForm(forms.Form):
        title = forms.CharField()

    post = _request(rf, "post", "/x/do/", {"title": "件名"})
    prg.refuse(post, to="/x/", key="t", message="重複しています", field_name="title")
    get = _request(rf, "get", "/x/")
    get.session = post.session
    refused = prg.take(get)
    form = refused.bind(TitleForm(refused.data))
    assert form.errors == {"title": ["重複しています"]}
    assert form["title"].value() == "件名"
