"""The web frontend, deployed: a private bucket behind CloudFront (infra/resources.yaml).

The template is read as CloudFormation would evaluate it (infra.local_template.Evaluator,
conditions decided with a stack's parameters); the SPA routing function, JavaScript, is run
with Node.js on viewer-request events shaped as CloudFront's.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

import pytest
from moto import mock_aws

from chalicelib.settings import Settings
from infra.local_template import Evaluator, deploy, parameter_values
from infra.package import PREFLIGHT_ORIGIN, REFUSAL_ORIGIN, cors_from_the_site, load
from tests.infra.conftest import MOTO_SKIPS, STACK, TEMPLATE_PATH, real_package_template

ACCOUNT, REGION = "123456789012", "eu-west-1"
DISTRIBUTION_ID, DISTRIBUTION_DOMAIN = "E2QWRUHAPOMQZL", "d111111abcdef8.cloudfront.net"
CERTIFICATE = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/8f2a1c3e-0b5d-4c1e-9a7f-2d6b8e4c1a90"
DOCUMENTS_BUCKET = f"cps-documents-{ACCOUNT}-{REGION}"
ACCESS_LOGS_BUCKET = f"cps-access-logs-{ACCOUNT}-{REGION}"
# A stack's parameters -> the web frontend's URL (CPS_FRONTEND_URL) and origin.
SCENARIOS = {
    "defaults": ({}, f"https://{DISTRIBUTION_DOMAIN}", f"https://{DISTRIBUTION_DOMAIN}"),
    "custom-domain": (
        {"SiteDomainName": "cps.canon-europe.com", "SiteCertificateArn": CERTIFICATE},
        "https://cps.canon-europe.com",
        "https://cps.canon-europe.com",
    ),
    "domain-without-certificate": (
        {"SiteDomainName": "cps.canon-europe.com"},
        f"https://{DISTRIBUTION_DOMAIN}",
        f"https://{DISTRIBUTION_DOMAIN}",
    ),
    "explicit-frontend-url": (
        {"FrontendUrl": "https://www.canon-europe.com/pro/cps"},
        "https://www.canon-europe.com/pro/cps",
        "https://www.canon-europe.com",
    ),
    "local-runtime": (
        {"FrontendUrl": "http://127.0.0.1:3000"},
        "http://127.0.0.1:3000",
        "http://127.0.0.1:3000",
    ),
}


def _evaluator(template: dict[str, Any], parameters: Mapping[str, str]) -> Evaluator:
    """CloudFormation's evaluation of the template in a stack with ``parameters``."""
    refs = {
        **parameter_values(template, parameters),
        "AWS::AccountId": ACCOUNT,
        "AWS::Region": REGION,
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com",
        "SiteDistribution": DISTRIBUTION_ID,
        "SiteBucket": f"cps-site-{ACCOUNT}-{REGION}",
        "DocumentsBucket": DOCUMENTS_BUCKET,
        "AccessLogsBucket": ACCESS_LOGS_BUCKET,
        "SiteSecurityHeadersPolicy": "67f7725c-6f97-4210-82d7-5512b31e9d03",
    }
    attributes = {
        "SiteDistribution": {"DomainName": DISTRIBUTION_DOMAIN},
        "SiteBucket": {
            "Arn": f"arn:aws:s3:::cps-site-{ACCOUNT}-{REGION}",
            "RegionalDomainName": f"cps-site-{ACCOUNT}-{REGION}.s3.{REGION}.amazonaws.com",
        },
        "AccessLogsBucket": {"Arn": f"arn:aws:s3:::{ACCESS_LOGS_BUCKET}"},
        "SiteOriginAccessControl": {"Id": "E1OACEXAMPLE"},
        "SiteRoutingFunction": {
            "FunctionARN": f"arn:aws:cloudfront::{ACCOUNT}:function/cps-site-routing-{REGION}"
        },
    }
    return Evaluator(refs, attributes, template["Conditions"])


def _resource(template: dict[str, Any], logical_id: str, **parameters: str) -> dict[str, Any]:
    """A resource's properties as a stack with ``parameters`` gives them."""
    evaluated: dict[str, Any] = _evaluator(template, parameters).evaluate(
        template["Resources"][logical_id]["Properties"]
    )
    return evaluated


def _origin(url: str) -> str:
    """The origin app.py gives Chalice's CORS configuration (Settings.frontend_origin)."""
    origin: str = Settings.frontend_origin.fget(SimpleNamespace(frontend_url=url))
    return origin


def _csp(template: dict[str, Any]) -> dict[str, list[str]]:
    config = _resource(template, "SiteSecurityHeadersPolicy")["ResponseHeadersPolicyConfig"]
    policy = config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    directives = [d.split() for d in policy.split(";")]
    return {name: sources for name, *sources in directives}


# ------------------------------------------------------------------ the bucket


def test_the_site_bucket_is_private_and_only_the_distribution_may_read_it(
    template: dict[str, Any],
) -> None:
    # GIVEN the site bucket and its policy, evaluated for a stack
    bucket = _resource(template, "SiteBucket")
    statements = _resource(template, "SiteBucketPolicy")["PolicyDocument"]["Statement"]
    # THEN nothing about it is public: no public ACL or policy can take effect, no ACLs at all
    assert bucket["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert "AccessControl" not in bucket and "WebsiteConfiguration" not in bucket
    # AND the only grant is GetObject to CloudFront, for this stack's distribution only
    (grant,) = [s for s in statements if s["Effect"] == "Allow"]
    assert grant["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert grant["Action"] == "s3:GetObject"
    assert grant["Resource"] == f"arn:aws:s3:::cps-site-{ACCOUNT}-{REGION}/*"
    assert grant["Condition"] == {
        "StringEquals": {
            "AWS:SourceArn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{DISTRIBUTION_ID}"
        }
    }
    # AND anything over plain HTTP is refused
    (deny,) = [s for s in statements if s["Effect"] == "Deny"]
    assert (deny["Principal"], deny["Action"]) == ("*", "s3:*")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_the_site_bucket_is_encrypted_versioned_and_logged_like_the_documents_bucket(
    template: dict[str, Any],
) -> None:
    # GIVEN the site bucket and the access-log bucket's policy
    bucket = _resource(template, "SiteBucket")
    log_policy = _resource(template, "AccessLogsBucketPolicy")["PolicyDocument"]["Statement"]
    # THEN it is encrypted at rest, versioned, and old versions expire
    (rule,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    rules = {r["Id"]: r for r in bucket["LifecycleConfiguration"]["Rules"]}
    assert rules["expire-noncurrent-site-files"]["NoncurrentVersionExpiration"] == {
        "NoncurrentDays": 30
    }
    # AND its server access logs go to the access-log bucket under a prefix of its own,
    # which S3's log delivery may write for this bucket only
    logging = bucket["LoggingConfiguration"]
    assert logging["LogFilePrefix"] == "cps-site/"
    assert logging["DestinationBucketName"] == ACCESS_LOGS_BUCKET
    (delivery,) = [s for s in log_policy if s.get("Sid") == "AllowSiteServerAccessLogDelivery"]
    assert delivery["Resource"] == f"arn:aws:s3:::{ACCESS_LOGS_BUCKET}/cps-site/*"
    assert delivery["Condition"]["ArnLike"] == {
        "aws:SourceArn": f"arn:aws:s3:::cps-site-{ACCOUNT}-{REGION}"
    }
    assert template["Resources"]["SiteBucket"]["DeletionPolicy"] == "Retain"


# ------------------------------------------------------------------ the distribution


def test_the_distribution_reads_the_bucket_through_origin_access_control_over_https(
    template: dict[str, Any],
) -> None:
    # GIVEN the distribution and its origin access control
    config = _resource(template, "SiteDistribution")["DistributionConfig"]
    control = _resource(template, "SiteOriginAccessControl")["OriginAccessControlConfig"]
    # THEN its one origin is the bucket's regional endpoint, signed by the access control
    # (SigV4, every request), with no legacy origin access identity
    (origin,) = config["Origins"]
    assert origin["DomainName"] == f"cps-site-{ACCOUNT}-{REGION}.s3.{REGION}.amazonaws.com"
    assert origin["OriginAccessControlId"] == "E1OACEXAMPLE"
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert (control["OriginAccessControlOriginType"], control["SigningProtocol"]) == ("s3", "sigv4")
    assert control["SigningBehavior"] == "always"
    # AND viewers are redirected to HTTPS, read only (GET, HEAD), served over HTTP/2 and 3,
    # compressed and cached by the managed CachingOptimized policy, index.html at /
    behaviour = config["DefaultCacheBehavior"]
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behaviour["AllowedMethods"] == ["GET", "HEAD"]
    assert behaviour["Compress"] is True
    assert behaviour["CachePolicyId"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"
    assert behaviour["TargetOriginId"] == origin["Id"]
    assert (config["HttpVersion"], config["DefaultRootObject"]) == ("http2and3", "index.html")
    assert config["Enabled"] is True
    # AND every response carries the security headers; every request passes the SPA routing
    assert behaviour["ResponseHeadersPolicyId"] == "67f7725c-6f97-4210-82d7-5512b31e9d03"
    assert behaviour["FunctionAssociations"] == [
        {
            "EventType": "viewer-request",
            "FunctionARN": f"arn:aws:cloudfront::{ACCOUNT}:function/cps-site-routing-{REGION}",
        }
    ]


@pytest.mark.parametrize(
    ("parameters", "aliases", "certificate"),
    [
        ({}, None, {"CloudFrontDefaultCertificate": True}),
        (
            {"SiteDomainName": "cps.canon-europe.com", "SiteCertificateArn": CERTIFICATE},
            ["cps.canon-europe.com"],
            {
                "AcmCertificateArn": CERTIFICATE,
                "SslSupportMethod": "sni-only",
                "MinimumProtocolVersion": "TLSv1.2_2021",
            },
        ),
    ],
    ids=["cloudfront-domain", "custom-domain"],
)
def test_a_custom_domain_is_served_with_its_certificate_and_modern_tls(
    template: dict[str, Any],
    parameters: dict[str, str],
    aliases: list[str] | None,
    certificate: dict[str, Any],
) -> None:
    # GIVEN a stack with or without a custom domain
    config = _resource(template, "SiteDistribution", **parameters)["DistributionConfig"]
    # THEN the distribution answers for it with its certificate (TLS 1.2 at least), or for its
    # own *.cloudfront.net domain only
    assert config.get("Aliases") == aliases
    assert config["ViewerCertificate"] == certificate
    # AND its edge locations are the parameter's, by default Europe and North America
    assert config["PriceClass"] == "PriceClass_100"
    assert template["Parameters"]["SitePriceClass"]["AllowedValues"] == [
        "PriceClass_100",
        "PriceClass_200",
        "PriceClass_All",
    ]


# ------------------------------------------------------------------ security headers


def test_the_csp_allows_the_app_stripe_the_api_and_the_upload_only(
    template: dict[str, Any],
) -> None:
    # GIVEN the content security policy CloudFront adds to every response
    csp = _csp(template)
    documents = [
        f"https://{DOCUMENTS_BUCKET}.s3.amazonaws.com",  # boto3's presigned POST URL
        f"https://{DOCUMENTS_BUCKET}.s3.{REGION}.amazonaws.com",
    ]
    # THEN the app's own files, Stripe.js and its frames, and nothing inline or embedded
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'", "https://js.stripe.com", "https://*.js.stripe.com"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["frame-src"] == [
        "https://js.stripe.com",
        "https://*.js.stripe.com",
        "https://hooks.stripe.com",
    ]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    # AND the page may call the API (this region's API Gateway), Stripe's API and the
    # documents bucket, and send a form only to itself and the documents bucket
    assert csp["connect-src"] == [
        "'self'",
        f"https://*.execute-api.{REGION}.amazonaws.com",
        "https://api.stripe.com",
        *documents,
    ]
    assert csp["form-action"] == ["'self'", *documents]
    # AND no other site may frame it
    assert csp["frame-ancestors"] == ["'none'"]
    assert not [s for sources in csp.values() for s in sources if "unsafe" in s]


def test_the_headers_policy_sets_hsts_nosniff_no_framing_and_origin_only_referrers(
    template: dict[str, Any],
) -> None:
    # GIVEN the response headers policy
    config = _resource(template, "SiteSecurityHeadersPolicy")["ResponseHeadersPolicyConfig"]
    headers = config["SecurityHeadersConfig"]
    # THEN HSTS for 2 years, subdomains included, preload-ready
    assert headers["StrictTransportSecurity"] == {
        "Override": True,
        "AccessControlMaxAgeSec": 2 * 365 * 24 * 3600,
        "IncludeSubdomains": True,
        "Preload": True,
    }
    # AND X-Content-Type-Options: nosniff, X-Frame-Options: DENY, and a referrer that tells
    # other origins the site's origin only
    assert headers["ContentTypeOptions"] == {"Override": True}
    assert headers["FrameOptions"] == {"Override": True, "FrameOption": "DENY"}
    assert headers["ReferrerPolicy"] == {
        "Override": True,
        "ReferrerPolicy": "strict-origin-when-cross-origin",
    }
    # AND the CSP overrides whatever an object says, and powerful features are off
    assert headers["ContentSecurityPolicy"]["Override"] is True
    assert config["CustomHeadersConfig"]["Items"] == [
        {
            "Header": "Permissions-Policy",
            "Value": "camera=(), microphone=(), geolocation=()",
            "Override": True,
        }
    ]


# ------------------------------------------------------------------ SPA routing

NODE = shutil.which("node")


def _viewer_request(uri: str, querystring: dict[str, Any] | None = None) -> dict[str, Any]:
    """A CloudFront Functions viewer-request event (the query string apart from the uri)."""
    return {
        "version": "1.0",
        "context": {"eventType": "viewer-request", "distributionId": DISTRIBUTION_ID},
        "viewer": {"ip": "198.51.100.7"},
        "request": {
            "method": "GET",
            "uri": uri,
            "querystring": querystring or {},
            "headers": {"host": {"value": DISTRIBUTION_DOMAIN}},
            "cookies": {},
        },
    }


def _run_routing_function(template: dict[str, Any], events: list[dict[str, Any]]) -> list[Any]:
    """The function's code, as deployed, run by Node.js on each event; its returned requests."""
    code = template["Resources"]["SiteRoutingFunction"]["Properties"]["FunctionCode"]
    driver = "\nprocess.stdout.write(JSON.stringify(EVENTS.map(handler)));\n"
    script = f"const EVENTS = {json.dumps(events)};\n{code}{driver}"
    assert NODE is not None
    result = subprocess.run(
        [NODE, "-"], input=script, capture_output=True, text=True, timeout=30, check=True
    )
    returned: list[Any] = json.loads(result.stdout)
    return returned


@pytest.mark.skipif(
    NODE is None, reason="Node.js 20+ is needed (README: the one extra requirement)"
)
def test_routes_of_the_app_get_index_html_and_files_pass_unchanged(
    template: dict[str, Any],
) -> None:
    # GIVEN the routing function, on viewer requests for routes of the app and for files
    function = template["Resources"]["SiteRoutingFunction"]["Properties"]
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert function["AutoPublish"] is True
    token = {"token": {"value": "k3Yq9Zx"}}
    events = [
        _viewer_request("/membership"),
        _viewer_request("/products/42/"),
        _viewer_request("/set-password", token),
        _viewer_request("/assets/app.js"),
        _viewer_request("/assets/index-3f2a9c.css"),
        _viewer_request("/config.json"),
        _viewer_request("/"),
    ]
    # WHEN CloudFront runs it on each
    returned = _run_routing_function(template, events)
    # THEN an extension-less path becomes /index.html, its query string kept for the app
    assert [r["uri"] for r in returned] == [
        "/index.html",
        "/index.html",
        "/index.html",
        "/assets/app.js",
        "/assets/index-3f2a9c.css",
        "/config.json",
        "/",  # the distribution's default root object, index.html
    ]
    assert returned[2]["querystring"] == token
    # AND the request goes on to the origin (a request, not a response, is returned)
    assert all("statusCode" not in r and r["method"] == "GET" for r in returned)


# ------------------------------------------------------------------ the site's origin


@pytest.mark.parametrize(("parameters", "url", "origin"), SCENARIOS.values(), ids=SCENARIOS)
def test_the_functions_frontend_url_and_the_apis_cors_origin_default_to_the_distribution(
    template: dict[str, Any], parameters: dict[str, str], url: str, origin: str
) -> None:
    # GIVEN a stack's parameters
    evaluator = _evaluator(template, parameters)
    # WHEN the functions' CPS_FRONTEND_URL (Globals) and its output are evaluated
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    variable = evaluator.evaluate(variables["CPS_FRONTEND_URL"])
    output = evaluator.evaluate(template["Outputs"]["CpsFrontendUrl"]["Value"])
    # THEN it is FrontendUrl when given, else the custom domain (with its certificate), else
    # the distribution's own domain: a fresh stack links to, and is called from, its own site
    assert variable == output == url
    # AND the API's CORS origin, which app.py takes from it (Settings.frontend_origin), is
    # that URL's origin
    assert _origin(variable) == origin


def test_the_frontend_url_parameter_is_optional_and_an_http_url_when_given(
    template: dict[str, Any],
) -> None:
    # GIVEN the FrontendUrl parameter
    parameter = template["Parameters"]["FrontendUrl"]
    # THEN it defaults to nothing (the stack's own site), and takes only an http(s) URL
    assert parameter["Default"] == ""
    for good in ("", "https://www.canon-europe.com/pro/cps", "http://127.0.0.1:3000"):
        assert re.fullmatch(parameter["AllowedPattern"], good), good
    for bad in ("www.canon-europe.com", "https://", "ftp://cps.example"):
        assert not re.fullmatch(parameter["AllowedPattern"], bad), bad


@pytest.mark.parametrize(("parameters", "url", "origin"), SCENARIOS.values(), ids=SCENARIOS)
def test_the_documents_bucket_takes_presigned_posts_from_the_sites_origin_only(
    template: dict[str, Any], parameters: dict[str, str], url: str, origin: str
) -> None:
    # GIVEN the documents bucket's CORS rules in a stack with these parameters
    cors = template["Resources"]["DocumentsBucket"]["Properties"]["CorsConfiguration"]
    (rule,) = _evaluator(template, parameters).evaluate(cors)["CorsRules"]
    # THEN its one rule lets the site's origin, the API's CORS origin too, POST (the
    # presigned form: a simple request, so no header is allowed), and nothing else
    assert rule["AllowedOrigins"] == [origin] == [_origin(url)]
    # (the very expression of the SiteOrigin output, which the API's preflights answer)
    assert cors["CorsRules"][0]["AllowedOrigins"] == [template["Outputs"]["SiteOrigin"]["Value"]]
    assert rule["AllowedMethods"] == ["POST"]
    assert "AllowedHeaders" not in rule


def _preflight(origin: str) -> dict[str, Any]:
    """An OPTIONS method as Chalice writes it for a route with CORS (a mock integration)."""
    return {
        "x-amazon-apigateway-integration": {
            "type": "mock",
            "responses": {
                "default": {
                    "statusCode": "200",
                    "responseParameters": {
                        PREFLIGHT_ORIGIN: f"'{origin}'",
                        "method.response.header.Access-Control-Allow-Methods": "'GET,OPTIONS'",
                    },
                }
            },
        }
    }


@pytest.mark.parametrize(("parameters", "url", "origin"), SCENARIOS.values(), ids=SCENARIOS)
def test_the_apis_preflights_and_refusals_answer_the_sites_origin(
    template: dict[str, Any], parameters: dict[str, str], url: str, origin: str
) -> None:
    # GIVEN an API definition as Chalice writes it: preflights answered by API Gateway with the
    # origin app.py had when packaged, and the gateway's refusals
    definition = {
        "paths": {
            "/me": {"get": {}, "options": _preflight("https://packaging.example")},
            "/health": {"get": {}},
        },
        "x-amazon-apigateway-gateway-responses": {
            "UNAUTHORIZED": {"responseParameters": {"gatewayresponse.header.Content-Type": "x"}}
        },
    }
    # WHEN infra.package completes it, and the stack evaluates it
    assert cors_from_the_site(definition, template) == 1
    evaluated = _evaluator(template, parameters).evaluate(definition)
    # THEN the preflight allows the site's origin, the one the functions answer with too
    response = evaluated["paths"]["/me"]["options"]["x-amazon-apigateway-integration"]
    parameters_ = response["responses"]["default"]["responseParameters"]
    assert parameters_[PREFLIGHT_ORIGIN] == f"'{origin}'" == f"'{_origin(url)}'"
    # AND a refusal of the gateway's own (an expired token's 401) is readable there
    refusal = evaluated["x-amazon-apigateway-gateway-responses"]["UNAUTHORIZED"]
    assert refusal["responseParameters"][REFUSAL_ORIGIN] == f"'{origin}'"


def test_an_api_without_cors_is_left_as_chalice_wrote_it(template: dict[str, Any]) -> None:
    # GIVEN an API definition without any preflight (app.py without CORS)
    definition = {
        "paths": {"/health": {"get": {}}},
        "x-amazon-apigateway-gateway-responses": {"UNAUTHORIZED": {"responseParameters": {}}},
    }
    before = copy.deepcopy(definition)
    # WHEN infra.package completes it THEN nothing changes: no origin is allowed
    assert cors_from_the_site(definition, template) == 0
    assert definition == before


def test_the_packaged_api_answers_the_sites_origin_only() -> None:
    # GIVEN this repository packaged (`make package STAGE=prod`)
    packaged = load(real_package_template())
    definition = packaged["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    site_origin = {"Fn::Join": ["", ["'", packaged["Outputs"]["SiteOrigin"]["Value"], "'"]]}
    # THEN every preflight of the real routes answers the stack's site origin, none the
    # origin app.py had when Chalice packaged it
    origins = [
        response["responseParameters"][PREFLIGHT_ORIGIN]
        for methods in definition["paths"].values()
        if "options" in methods
        for response in methods["options"]["x-amazon-apigateway-integration"]["responses"].values()
    ]
    assert origins and all(o == site_origin for o in origins)
    # AND so does every refusal of the gateway's own
    refusals = definition["x-amazon-apigateway-gateway-responses"].values()
    assert all(r["responseParameters"][REFUSAL_ORIGIN] == site_origin for r in refusals)


@pytest.mark.filterwarnings(MOTO_SKIPS)
def test_the_local_runtime_gets_its_own_origin_and_no_cloudfront(
    aws_env: None, client: Callable[[str], Any]
) -> None:
    with mock_aws():
        # GIVEN the template deployed in moto as the local runtime does it (its web server's
        # URL as FrontendUrl)
        env = deploy(STACK, TEMPLATE_PATH, client, {"FrontendUrl": "http://127.0.0.1:3000"})
        # THEN the functions and the documents bucket's CORS rule use that origin
        assert env["CPS_FRONTEND_URL"] == "http://127.0.0.1:3000"
        (rule,) = client("s3").get_bucket_cors(Bucket=env["CPS_DOCUMENTS_BUCKET"])["CORSRules"]
        assert (rule["AllowedOrigins"], rule["AllowedMethods"]) == (
            ["http://127.0.0.1:3000"],
            ["POST"],
        )
        # AND no CloudFront resource was made (the runtime serves web/dist itself), nor any
        # output of the deploy step's
        resources = client("cloudformation").list_stack_resources(StackName=STACK)
        logical_ids = {r["LogicalResourceId"] for r in resources["StackResourceSummaries"]}
        assert "SiteBucket" in logical_ids
        assert not {"SiteDistribution", "SiteRoutingFunction", "SiteSecurityHeadersPolicy"} & (
            logical_ids
        )
        assert client("cloudfront").list_distributions()["DistributionList"].get("Items") is None
        assert not [k for k in env if k.startswith("SITE_")]


# ------------------------------------------------------------------ outputs for the deploy step


def test_the_deploy_step_finds_the_bucket_the_distribution_and_the_stripe_key_in_outputs(
    template: dict[str, Any],
) -> None:
    # GIVEN the stack's outputs, evaluated with a publishable key and without
    with_key = _evaluator(template, {"StripePublishableKey": "pk_live_51HxYz"})
    outputs = template["Outputs"]
    # THEN the upload target, the distribution to invalidate and its domain are there
    assert with_key.evaluate(outputs["SiteBucketName"]["Value"]) == f"cps-site-{ACCOUNT}-{REGION}"
    assert with_key.evaluate(outputs["SiteDistributionId"]["Value"]) == DISTRIBUTION_ID
    assert with_key.evaluate(outputs["SiteDistributionDomainName"]["Value"]) == DISTRIBUTION_DOMAIN
    # AND the publishable key for /config.json, only when one is given
    key = outputs["SiteStripePublishableKey"]
    assert with_key.evaluate(key["Value"]) == "pk_live_51HxYz"
    assert with_key.evaluate({"Condition": key["Condition"]}) is True
    assert _evaluator(template, {}).evaluate({"Condition": key["Condition"]}) is False
    pattern = template["Parameters"]["StripePublishableKey"]["AllowedPattern"]
    assert re.fullmatch(pattern, "") and re.fullmatch(pattern, "pk_test_51HxYz")
    assert not re.fullmatch(pattern, "sk_live_51HxYz")  # never a secret key
