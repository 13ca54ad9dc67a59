#!/usr/bin/env python3
"""Generate RPC v1 (HMAC-SHA1) signature vectors with the official Python SDK.

Every string to sign and every signature in the output comes from the signing
code of `aliyun-python-sdk-core` itself (module
`aliyunsdkcore.auth.composer.rpc_signature_composer`); this script only picks
the params and freezes the nonce and the clock. See README.md for the details.

Usage: python3 v1_vectors.py OUTPUT.json
"""

import json
import sys
from urllib.parse import parse_qsl

import aliyunsdkcore
from aliyunsdkcore.auth.algorithm import sha_hmac1
from aliyunsdkcore.auth.composer import rpc_signature_composer as composer
from aliyunsdkcore.auth.credentials import AccessKeyCredential, StsTokenCredential
from aliyunsdkcore.auth.signers.access_key_signer import AccessKeySigner
from aliyunsdkcore.auth.signers.sts_token_signer import StsTokenSigner
from aliyunsdkcore.request import RpcRequest
from aliyunsdkcore.utils import parameter_helper

NONCE = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
TIMESTAMP = "2016-02-23T12:46:24Z"
AK = "testid"
SECRET = "testsecret"
TOKEN = "CAIS+gF1q6Ft5B2yfSjIr5fNLtbzl/Vw0a+xQV3Cj2U=&token/with==padding"

# Freeze the two values the SDK generates itself, so that the output is
# deterministic. The composer calls these through the module, so patching the
# module attributes is enough.
parameter_helper.get_uuid = lambda: NONCE
parameter_helper.get_iso_8061_date = lambda: TIMESTAMP

# Module-level helpers of the composer (plain module attributes: the leading
# double underscore is not mangled outside a class body).
compose_string_to_sign = getattr(composer, "__compose_string_to_sign")
get_signature = getattr(composer, "__get_signature")


def split_url(url):
    """The decoded (name, value) pairs of a '/?...' URL made by the SDK."""
    assert url.startswith("/?"), url
    return parse_qsl(url[2:], keep_blank_values=True, strict_parsing=True)


def vector(name, method, secret, query, body, sts, sig, note=None):
    out = {
        "name": name,
        "method": method,
        "secret": secret,
        "query_params": [[k, v] for k, v in query],
        "body_params": [[k, v] for k, v in body],
        "string_to_sign": sts,
        "signature": sig,
    }
    if note:
        out["note"] = note
    return out


def via_composer(name, method, params, body=(), secret=SECRET, ak=AK, token=None, fmt="JSON"):
    """Full SDK signing path: `get_signed_url` adds the common params
    (Timestamp, SignatureMethod, SignatureType, SignatureVersion,
    SignatureNonce, AccessKeyId, Format), signs query and body params
    together and returns the signed URL. The query params recorded are the
    ones decoded back from that URL, so the URL encoding is checked too."""
    params = dict(params)
    if token is not None:
        # What StsTokenSigner does for RPC requests before signing.
        params["SecurityToken"] = token
    body = dict(body)
    assert not set(params) & set(body), "a name may live in query or body, not both"
    url, sts = composer.get_signed_url(params, ak, secret, fmt, method, body, sha_hmac1)
    pairs = split_url(url)
    sigs = [v for k, v in pairs if k == "Signature"]
    assert len(sigs) == 1
    query = [(k, v) for k, v in pairs if k != "Signature"]
    # The SDK's own signature of its own string to sign.
    assert sigs[0] == get_signature(sts, secret, sha_hmac1)
    return vector(name, method, secret, query, list(body.items()), sts, sigs[0])


def via_request(name, method, action, version, query, body=(), token=None, region="cn-hangzhou"):
    """Highest-level path: an RpcRequest signed by the SDK's AccessKeySigner
    or StsTokenSigner, exactly as AcsClient does before sending it."""
    req = RpcRequest("Cdn", version, action)
    req.set_method(method)
    req.set_accept_format("JSON")
    for k, v in query:
        req.add_query_param(k, v)
    for k, v in body:
        req.add_body_params(k, v)
    if token is None:
        signer = AccessKeySigner(AccessKeyCredential(AK, SECRET))
    else:
        signer = StsTokenSigner(StsTokenCredential(AK, SECRET, token))
    _headers, url = signer.sign(region, req)
    pairs = split_url(url)
    sig = [v for k, v in pairs if k == "Signature"][0]
    q = [(k, v) for k, v in pairs if k != "Signature"]
    assert sig == get_signature(req.string_to_sign, SECRET, sha_hmac1)
    return vector(name, method, SECRET, q, list(body), req.string_to_sign, sig)


def raw(name, method, params, body=(), secret=SECRET, note=None):
    """Exactly the given params and nothing else, through the SDK's canonical
    string builder and its HMAC (no common params added)."""
    all_params = dict(params)
    all_params.update(dict(body))
    sts = compose_string_to_sign(method, all_params)
    sig = get_signature(sts, secret, sha_hmac1)
    return vector(name, method, secret, list(params), list(body), sts, sig, note)


SEED_002_PRINTED_STRING_TO_SIGN = (
    "GET&%2F&AccessKeyId%3Dtestid&Action%3DDescribeCens&Format%3DXML&SignatureMethod%3DHMAC-SHA1"
    "&SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion%3D1.0"
    "&TimeStamp%3D2016-02-23T12%253A46%253A24Z&Version%3D2014-05-15"
)

SPECIALS = {
    "space": "a b  c",
    "star": "*.example.com",
    "tilde": "~user~",
    "slash": "/path/to/obj/",
    "plus": "1+1",
    "equals": "a=b==",
    "ampersand": "a&b&&c",
    "percent": "100%25 %",
    "quote": "it's",
    "parens": "(a)(b)",
    "bang": "wow!",
    "chinese": "中文",
    "e_acute": "café é",
    "emoji": "ok 😀 👍🏽",
    "empty": "",
    "newline_tab": "line1\nline2\tend",
    "all_ascii_punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    "unreserved_only": "AZaz09-_.~",
    "url": "https://example.com/a?b=c&d=e#f",
    "json": '{"a":[1,2],"b":"x y"}',
}


def build():
    vs = []

    # The verified vector of PROTOCOL.md section 2.
    vs.append(raw("protocol_md_verified_vector", "GET", [
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", NONCE),
        ("SignatureVersion", "1.0"),
        ("Timestamp", TIMESTAMP),
        ("Version", "2014-05-26"),
        ("AccessKeyId", AK),
    ]))

    # The seeds' requests (see aliapi-core/tests/seeds.rs).
    seed0 = [
        ("Action", "StartCdnDomain"),
        ("DomainName", "example.com"),
        ("Format", "XML"),
        ("AccessKeyId", AK),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", NONCE),
        ("SignatureVersion", "1.0"),
    ]
    vs.append(raw("seed_000_params_as_printed", "GET", seed0,
                  note="seed 000 prints YGOjauEr2WSn6scXDxc9X0DKwsM= for these params; it is not reproducible"))
    vs.append(raw("seed_000_with_version_and_timestamp", "GET",
                  seed0 + [("Version", "2018-05-10"), ("Timestamp", TIMESTAMP)]))
    seed2 = [
        ("Action", "DescribeCens"),
        ("Timestamp", TIMESTAMP),
        ("Format", "XML"),
        ("AccessKeyId", AK),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", NONCE),
        ("Version", "2014-05-26"),
        ("SignatureVersion", "1.0"),
    ]
    vs.append(raw("seed_002_params_as_printed", "GET", seed2,
                  note="seed 002 prints CT9X0VtwR86fNWSnsc6v8YGOjuE= for these params; it is not reproducible"))
    vs.append(raw("seed_002_with_cen_version", "GET",
                  [(k, "2017-09-12" if k == "Version" else v) for k, v in seed2]))

    # Special characters, one per vector, as a query param of a GET, then as
    # a body param of a POST.
    for label, value in SPECIALS.items():
        vs.append(via_composer(f"get_query_{label}", "GET", [
            ("Action", "DescribeUserDomains"),
            ("Version", "2018-05-10"),
            ("DomainName", value),
        ]))
    for label, value in SPECIALS.items():
        vs.append(via_composer(f"post_body_{label}", "POST", [
            ("Action", "RefreshObjectCaches"),
            ("Version", "2018-05-10"),
        ], body=[("ObjectPath", value)]))

    # All specials at once, query and body, with and without STS.
    many = [(f"Param{i:02d}", v) for i, v in enumerate(SPECIALS.values())]
    vs.append(via_composer("get_all_specials_in_query", "GET",
                           [("Action", "DescribeCens"), ("Version", "2017-09-12")] + many))
    vs.append(via_composer("post_all_specials_in_body", "POST",
                           [("Action", "CreateCen"), ("Version", "2017-09-12")], body=many))
    vs.append(via_composer("post_all_specials_split_query_and_body_sts", "POST",
                           [("Action", "CreateCen"), ("Version", "2017-09-12")] + many[:10],
                           body=many[10:], token=TOKEN))

    # Repeat lists: 12 entries so that .10 .11 .12 sort before .2.
    domains = [(f"DomainName.{i}", f"d{i}.example.com") for i in range(1, 13)]
    vs.append(via_composer("get_repeat_list_12", "GET",
                           [("Action", "DescribeCdnDomainDetail"), ("Version", "2018-05-10")] + domains))
    vs.append(via_composer("post_repeat_list_in_body", "POST",
                           [("Action", "BatchStartCdnDomain"), ("Version", "2018-05-10")], body=domains))
    tags = []
    for i, (k, v) in enumerate([("env", "prod"), ("team", "a&b"), ("名前", "値 1"), ("empty", "")], start=1):
        tags += [(f"Tag.{i}.Key", k), (f"Tag.{i}.Value", v)]
    vs.append(via_composer("get_tags_objects_in_list", "GET",
                           [("Action", "TagResources"), ("Version", "2018-05-10"),
                            ("ResourceType", "DOMAIN"), ("ResourceId.1", "example.com")] + tags))
    vs.append(via_composer("post_tags_in_body_sts", "POST",
                           [("Action", "TagResources"), ("Version", "2018-05-10")],
                           body=[("ResourceType", "DOMAIN"), ("ResourceId.1", "a.com"), ("ResourceId.2", "b.com")] + tags,
                           token=TOKEN))
    filters = [
        ("Filter.1.Key", "CenId"), ("Filter.1.Value.1", "cen-1"), ("Filter.1.Value.2", "cen 2"),
        ("Filter.2.Key", "Name"), ("Filter.2.Value.1", "中文*"), ("Filter.2.Value.10", "ten"),
        ("Filter.2.Value.2", "two/2"),
    ]
    vs.append(via_composer("get_lists_in_lists", "GET",
                           [("Action", "DescribeCens"), ("Version", "2017-09-12"),
                            ("PageNumber", "1"), ("PageSize", "50")] + filters))
    vs.append(via_composer("post_lists_in_lists_in_body", "POST",
                           [("Action", "DescribeCens"), ("Version", "2017-09-12")], body=filters))

    # Flat objects, JSON values, booleans, numbers.
    vs.append(via_composer("post_flat_and_json", "POST",
                           [("Action", "SetCdnDomainConfig"), ("Version", "2018-05-10")],
                           body=[("DomainNames", "a.com,b.com"),
                                 ("Functions", '[{"functionArgs":[{"argName":"ttl","argValue":"3600"}],"functionName":"set_resp_header"}]'),
                                 ("Config.Enable", "true"), ("Config.Ttl", "3600")]))

    # Security token, GET and POST, with different secrets and key ids.
    vs.append(via_composer("get_sts_token", "GET",
                           [("Action", "DescribeUserDomains"), ("Version", "2018-05-10")], token=TOKEN))
    vs.append(via_composer("post_sts_token_with_body", "POST",
                           [("Action", "AddCdnDomain"), ("Version", "2018-05-10")],
                           body=[("DomainName", "example.com"), ("Sources", '[{"content":"1.1.1.1","type":"ipaddr"}]')],
                           token=TOKEN))
    vs.append(via_composer("get_secret_with_specials", "GET",
                           [("Action", "DescribeCens"), ("Version", "2017-09-12")],
                           secret="s3cr3t/+=&中", ak="LTAI5tExample"))
    vs.append(via_composer("post_empty_secret", "POST",
                           [("Action", "DescribeCens"), ("Version", "2017-09-12")],
                           body=[("PageSize", "10")], secret=""))
    vs.append(via_composer("get_format_xml", "GET",
                           [("Action", "DescribeRegions"), ("Version", "2014-05-26")], fmt="XML"))
    vs.append(via_composer("get_lowercase_and_uppercase_names", "GET",
                           [("Action", "X"), ("Version", "1"), ("aaa", "1"), ("ZZZ", "2"), ("Zz", "3"), ("a", "4")]))
    vs.append(via_composer("post_no_body_params", "POST",
                           [("Action", "DescribeRefreshQuota"), ("Version", "2018-05-10")]))
    vs.append(via_composer("get_long_value", "GET",
                           [("Action", "X"), ("Version", "1"), ("Long", "ab cd/中" * 200)]))

    # Through RpcRequest + the SDK's signers (adds RegionId, as AcsClient does).
    vs.append(via_request("rpc_request_get", "GET", "DescribeUserDomains", "2018-05-10",
                          [("PageSize", "50"), ("DomainName", "*.example.com")]))
    vs.append(via_request("rpc_request_post_body", "POST", "RefreshObjectCaches", "2018-05-10",
                          [], body=[("ObjectPath", "https://example.com/a b/中.jpg\nhttps://example.com/c"),
                                    ("ObjectType", "File")]))
    vs.append(via_request("rpc_request_sts_get", "GET", "DescribeCens", "2017-09-12",
                          [("PageNumber", "2")], token=TOKEN))
    vs.append(via_request("rpc_request_sts_post", "POST", "CreateCen", "2017-09-12",
                          [("Name", "my cen")], body=[("Description", "é (test) !'")], token=TOKEN,
                          region="ap-southeast-1"))
    return vs


def dump(vectors):
    """Pretty, deterministic JSON: one key per line, one [name, value] pair
    per line, non-ASCII kept as UTF-8."""

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
        sys.exit("usage: v1_vectors.py OUTPUT.json")
    vs = build()
    names = [v["name"] for v in vs]
    assert len(names) == len(set(names)), "duplicate vector names"
    print(f"aliyun-python-sdk-core {aliyunsdkcore.__version__}")
    doc = vs
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write(dump(doc))
    print(f"wrote {len(vs)} vectors to {sys.argv[1]}")
    # Seed 002 prints its own string to sign; what the SDK's HMAC makes of it,
    # taken verbatim (aliapi-core/tests/seeds.rs records this value).
    print("seed 002 printed string to sign, signed verbatim:",
          sha_hmac1.get_sign_string(SEED_002_PRINTED_STRING_TO_SIGN, SECRET + "&"))


if __name__ == "__main__":
    main()
