from drsui.drs import PasswordCredentials, StaticToken, client_for


def test_reprs_hide_secrets():
    credentials = PasswordCredentials(user="alice", password="pw-123456", domain="acme")
    token = StaticToken("tok-abcdef")

    assert "pw-123456" not in repr(credentials) and "alice" in repr(credentials)
    assert "tok-abcdef" not in repr(token)
    assert "pw-123456" not in str(credentials)


def test_client_for_takes_timeouts_from_settings(settings):
    settings.DRSUI_HTTP_CONNECT_TIMEOUT = 1.5
    settings.DRSUI_HTTP_READ_TIMEOUT = 12

    client = client_for(
        drs_endpoint="http://drs.test/",
        iam_endpoint="http://iam.test",
        project_id="0" * 32,
        credentials=StaticToken("t"),
        language="zh-cn",
    )

    assert client.timeout == (1.5, 12)
    assert client.session.timeout == (1.5, 12)
    assert (client.drs_endpoint, client.language) == ("http://drs.test", "zh-cn")
