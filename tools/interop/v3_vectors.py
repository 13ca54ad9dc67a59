#!/usr/bin/env python3
"""Generate V3 (ACS3-HMAC-SHA256) signature vectors with the official Tea SDK.

Each request goes through `alibabacloud_tea_openapi.client.Client.call_api`
(whose default signature is V3, via `do_request`), exactly as a generated
product client calls it. The HTTP send (`DaraCore.do_action`) is replaced by a
function that captures the finished request and stops, so nothing leaves the
machine. The Authorization header is the SDK's own; the canonical request and
string to sign are rebuilt with the SDK's own helpers
(`alibabacloud_tea_openapi.utils`) and checked to sign to that same header.
See README.md for the details.

Usage: python3 v3_vectors.py OUTPUT.json
"""

import hashlib
import hmac
import json
import sys
from importlib.metadata import version as dist_version

from alibabacloud_tea_openapi import utils as sdk_utils
from alibabacloud_tea_openapi.client import Client
from alibabacloud_tea_openapi.utils import Utils
from alibabacloud_tea_openapi.utils_models import Config, OpenApiRequest, Params
from darabonba.core import DaraCore
from darabonba.runtime import RuntimeOptions

AK = "testid"
SECRET = "testsecret"
TOKEN = "CAIS+gF1q6Ft5B2yfSjIr5fNLtbzl/Vw0a+xQV3Cj2U=&token/with==padding"
NONCE = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
DATE = "2023-10-26T10:22:32Z"
USER_AGENT = "AlibabaCloud (interop-vectors) Python TeaDSL/2"

# Freeze what the SDK would otherwise draw from the clock, a random source or
# the platform.
Utils.get_nonce = staticmethod(lambda: NONCE)
Utils.get_timestamp = staticmethod(lambda: DATE)
Utils.get_user_agent = staticmethod(lambda _ua: USER_AGENT)


class Captured(BaseException):
    """Raised instead of sending; a BaseException so that the SDK's retry
    loop (which catches Exception) lets it through."""

    def __init__(self, request):
        super().__init__("captured")
        self.request = request


def capture(request, runtime_option=None):
    raise Captured(request)


DaraCore.do_action = staticmethod(capture)


def run_sdk(method, action, version, query, body, token, endpoint, secret, ak):
    config = Config(access_key_id=ak, access_key_secret=secret, endpoint=endpoint)
    if token is not None:
        config.security_token = token
    client = Client(config)
    params = Params(
        action=action,
        version=version,
        protocol="HTTPS",
        pathname="/",
        method=method,
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    req = OpenApiRequest(query=Utils.query(query) if query else None,
                         body=body if body else None)
    try:
        client.call_api(params, req, RuntimeOptions())
    except Captured as c:
        return c.request
    raise AssertionError("the SDK did not try to send")


def rebuild(request, payload_hash):
    """Canonical request and string to sign, from the SDK's own helpers, over
    the headers the SDK had when it signed (all but Authorization)."""
    headers = {k: v for k, v in request.headers.items() if k != "Authorization"}
    canonical_query = sdk_utils.get_canonical_query_string(request.query)
    canonical_headers, signed_headers = sdk_utils.get_canonicalized_headers(headers)
    canonical = (f"{request.method}\n{request.pathname or '/'}\n{canonical_query}\n"
                 f"{canonical_headers}\n{signed_headers}\n{payload_hash}")
    string_to_sign = "ACS3-HMAC-SHA256\n" + Utils.hex_encode(
        Utils.hash(canonical.encode("utf-8"), "ACS3-HMAC-SHA256"))
    return headers, canonical, string_to_sign, signed_headers


def vector(name, method, query=None, body=None, token=None, secret=SECRET, ak=AK,
           action="DescribeCens", version="2017-09-12", endpoint="cbn.aliyuncs.com"):
    request = run_sdk(method, action, version, query, body, token, endpoint, secret, ak)
    body_bytes = request.body.encode("utf-8") if isinstance(request.body, str) else (request.body or b"")
    payload_hash = request.headers["x-acs-content-sha256"]
    assert payload_hash == hashlib.sha256(body_bytes).hexdigest()
    headers, canonical, sts, signed = rebuild(request, payload_hash)
    auth = request.headers["Authorization"]
    # The rebuilt string to sign signs to the SDK's own Authorization.
    mine = hmac.new(secret.encode("utf-8"), sts.encode("utf-8"), hashlib.sha256).hexdigest()
    assert auth == f"ACS3-HMAC-SHA256 Credential={ak},SignedHeaders={signed},Signature={mine}", auth
    return {
        "name": name,
        "source": "call_api",
        "method": request.method,
        "access_key_id": ak,
        "secret": secret,
        "query": [[k, v] for k, v in sorted(request.query.items())],
        "headers": [[k, str(v)] for k, v in headers.items()],
        "body": body_bytes.decode("utf-8"),
        "canonical_request": canonical,
        "string_to_sign": sts,
        "signed_headers": signed,
        "authorization": auth,
    }


def required_headers_only(v):
    """The same request signed over only host, content-type and the x-acs-*
    headers (the set Alibaba Cloud's V3 documentation requires and its
    signing examples use), through the SDK's own
    `Utils.get_authorization`."""

    class Req:
        pass

    r = Req()
    r.method = v["method"]
    r.pathname = "/"
    r.query = dict(v["query"])
    r.headers = {k: val for k, val in v["headers"]
                 if k == "host" or k == "content-type" or k.startswith("x-acs-")}
    payload_hash = r.headers["x-acs-content-sha256"]
    auth = Utils.get_authorization(r, "ACS3-HMAC-SHA256", payload_hash, v["access_key_id"], v["secret"])
    headers, canonical, sts, signed = rebuild(r, payload_hash)
    assert auth.endswith(
        "Signature=" + hmac.new(v["secret"].encode(), sts.encode(), hashlib.sha256).hexdigest())
    out = dict(v)
    out.update({
        "name": v["name"] + "__required_headers",
        "source": "get_authorization",
        "headers": [[k, str(val)] for k, val in headers.items()],
        "canonical_request": canonical,
        "string_to_sign": sts,
        "signed_headers": signed,
        "authorization": auth,
    })
    return out


SPECIALS = {
    "space": "a b  c",
    "star": "*.example.com",
    "tilde": "~user~",
    "slash": "/path/to/obj/",
    "plus": "1+1",
    "equals_ampersand": "a=b&c==",
    "percent": "100%25 %",
    "quote_parens_bang": "it's (a) !",
    "chinese": "中文",
    "e_acute": "café é",
    "emoji": "ok 😀 👍🏽",
    "empty": "",
    "newline_tab": "line1\nline2\tend",
    "all_ascii_punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
}


def build():
    vs = []
    vs.append(vector("get_no_params", "GET"))
    vs.append(vector("post_no_params", "POST"))
    for label, value in SPECIALS.items():
        vs.append(vector(f"get_query_{label}", "GET", query={"CenId": "cen-1", "Name": value}))
    for label, value in SPECIALS.items():
        vs.append(vector(f"post_body_{label}", "POST", query={"CenId": "cen-1"},
                         body={"Description": value, "Name": "n"}))
    lists = {"DomainName": [f"d{i}.example.com" for i in range(1, 12)],
             "Tag": [{"Key": "env", "Value": "prod"}, {"Key": "名前", "Value": "値 1"}],
             "Filter": [{"Key": "CenId", "Value": ["cen-1", "cen 2"]}]}
    vs.append(vector("get_lists_tags_and_lists_in_lists", "GET", query=lists))
    vs.append(vector("post_lists_in_body", "POST", body=Utils.query(lists)))
    vs.append(vector("get_sts", "GET", query={"PageSize": "50"}, token=TOKEN))
    vs.append(vector("post_sts_query_and_body", "POST", query={"Name": "中 文*"},
                     body={"Description": "é (test) !'", "Name2": "a+b c"}, token=TOKEN))
    vs.append(vector("get_cdn_secret_with_specials", "GET", query={"DomainName": "example.com"},
                     secret="s3cr3t/+=&中", ak="LTAI5tExample", action="DescribeUserDomains",
                     version="2018-05-10", endpoint="cdn.aliyuncs.com"))
    vs.append(vector("post_cdn_refresh", "POST",
                     body={"ObjectPath": "https://example.com/a b/中.jpg\nhttps://example.com/c",
                           "ObjectType": "File"},
                     action="RefreshObjectCaches", version="2018-05-10", endpoint="cdn.aliyuncs.com"))
    vs.append(vector("get_sorting", "GET", query={"aaa": "1", "ZZZ": "2", "Zz": "3", "a": "4",
                                                   "B.10": "x", "B.2": "y"}))

    # The same requests signed over the required headers only.
    base = [v for v in vs if v["name"] in (
        "get_no_params", "post_no_params", "get_query_space", "get_query_emoji",
        "post_body_all_ascii_punct", "get_lists_tags_and_lists_in_lists", "get_sts",
        "post_sts_query_and_body", "get_cdn_secret_with_specials", "post_cdn_refresh")]
    vs += [required_headers_only(v) for v in base]
    return vs


def dump(vectors):
    """Pretty, deterministic JSON: one key per line, one [name, value] pair per
    line, non-ASCII kept as UTF-8."""

    def enc(v):
        return json.dumps(v, ensure_ascii=False)

    out = ["["]
    for i, v in enumerate(vectors):
        out.append("  {")
        items = list(v.items())
        for j, (k, val) in enumerate(items):
            comma = "," if j + 1 < len(items) else ""
            if isinstance(val, list):
                if not val:
                    out.append(f"    {enc(k)}: []{comma}")
                else:
                    out.append(f"    {enc(k)}: [")
                    for n, pair in enumerate(val):
                        c = "," if n + 1 < len(val) else ""
                        out.append(f"      [{enc(pair[0])}, {enc(pair[1])}]{c}")
                    out.append(f"    ]{comma}")
            else:
                out.append(f"    {enc(k)}: {enc(val)}{comma}")
        out.append("  }" + ("," if i + 1 < len(vectors) else ""))
    out.append("]")
    text = "\n".join(out) + "\n"
    assert json.loads(text) == vectors
    return text


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: v3_vectors.py OUTPUT.json")
    vs = build()
    names = [v["name"] for v in vs]
    assert len(names) == len(set(names)), "duplicate vector names"
    print(f"alibabacloud-tea-openapi {dist_version('alibabacloud-tea-openapi')}")
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write(dump(vs))
    print(f"wrote {len(vs)} vectors to {sys.argv[1]}")


if __name__ == "__main__":
    main()
