"""PynamoDB models: the tables of infra/resources.yaml.

The classes below are the tables' schemas, named as the template names the tables. A repository
works on its own binding of a schema to this stage's table and region (`bind`, with the names
from the settings), so nothing global is changed at start-up.
"""

from __future__ import annotations

from typing import TypeVar

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import (
    AllProjection,
    GlobalSecondaryIndex,
    KeysOnlyProjection,
    LocalSecondaryIndex,
)
from pynamodb.models import Model

from chalicelib.adapters.dynamo.connection import connection


class CheckAttribute(MapAttribute):
    name = UnicodeAttribute()
    outcome = UnicodeAttribute()
    detail = UnicodeAttribute()


class StatusIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "status-index"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class ApplicationModel(Model):
    class Meta:
        table_name = "cps-applications"

    application_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    created_at = UnicodeAttribute()  # ISO 8601: sorts in time order in the status index
    status_token_hash = UnicodeAttribute()
    company_name = UnicodeAttribute()
    street = UnicodeAttribute()
    postcode = UnicodeAttribute()
    city = UnicodeAttribute()
    country = UnicodeAttribute()
    contact_name = UnicodeAttribute()
    contact_email = UnicodeAttribute()
    contact_phone = UnicodeAttribute()
    language = UnicodeAttribute()
    document_type = UnicodeAttribute()
    vat_number = UnicodeAttribute(null=True)
    legacy_cps_email = UnicodeAttribute(null=True)
    upload_id = UnicodeAttribute(null=True)
    document_key = UnicodeAttribute(null=True)
    document_version_id = UnicodeAttribute(null=True)
    document_content_type = UnicodeAttribute(null=True)
    uploaded_at = UTCDateTimeAttribute(null=True)
    decision_due_by = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    checks = ListAttribute(of=CheckAttribute, null=True)
    review_task_token = UnicodeAttribute(null=True)
    escalated_at = UTCDateTimeAttribute(null=True)
    decision = UnicodeAttribute(null=True)
    decision_reason = UnicodeAttribute(null=True)
    decided_by = UnicodeAttribute(null=True)
    decided_at = UTCDateTimeAttribute(null=True)
    account_id = UnicodeAttribute(null=True)
    version = VersionAttribute()

    status_index = StatusIndex()


class EmailIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "email-index"
        projection = AllProjection()

    email = UnicodeAttribute(hash_key=True)


class VatIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "vat-index"
        projection = KeysOnlyProjection()

    vat_number = UnicodeAttribute(hash_key=True)


class AccountModel(Model):
    class Meta:
        table_name = "cps-accounts"

    account_id = UnicodeAttribute(hash_key=True)
    application_id = UnicodeAttribute()
    company_name = UnicodeAttribute()
    street = UnicodeAttribute()
    postcode = UnicodeAttribute()
    city = UnicodeAttribute()
    country = UnicodeAttribute()
    vat_number = UnicodeAttribute(null=True)
    contact_name = UnicodeAttribute()
    email = UnicodeAttribute()
    phone = UnicodeAttribute()
    language = UnicodeAttribute()
    legacy_cps_email = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    points = NumberAttribute(default=0)
    invited = BooleanAttribute(default=False)
    invitation_mailed = BooleanAttribute(default=False)
    migrated_at = UTCDateTimeAttribute(null=True)
    # The old CPS address's confirmation (SPEC §2): when it was confirmed, and the SHA-256 of
    # the one link still valid after a resend (absent: every unexpired approval link is).
    legacy_confirmed_at = UTCDateTimeAttribute(null=True)
    legacy_link_hash = UnicodeAttribute(null=True)

    email_index = EmailIndex()
    vat_index = VatIndex()


class TokenModel(Model):
    class Meta:
        table_name = "cps-tokens"

    token_hash = UnicodeAttribute(hash_key=True)
    account_id = UnicodeAttribute()
    email = UnicodeAttribute()
    purpose = UnicodeAttribute()
    expires_at = UTCDateTimeAttribute()
    used_at = UTCDateTimeAttribute(null=True)
    issued_at = UTCDateTimeAttribute(null=True)
    expires_ttl = TTLAttribute()


class GuardModel(Model):
    """Small items beside the one-time links, in the tokens table (their keys never look like a
    token's SHA-256): `throttle#<scope>#<sha256 of the address>` holds until when the next mail
    of that scope is held back; `links-void#<account_id>` the moment a new password voided every
    earlier link of that account."""

    class Meta:
        table_name = "cps-tokens"

    token_hash = UnicodeAttribute(hash_key=True)  # the table's key attribute
    until = UTCDateTimeAttribute()
    expires_ttl = TTLAttribute()


M = TypeVar("M", bound=Model)


def bind(model: type[M], table_name: str, region: str) -> type[M]:
    """`model` on `table_name` in `region`: a subclass with its own Meta and connection (from
    the process's one botocore session: connection.py).

    It keeps the schema's attributes (so conditions and transactions work as on the schema),
    gets its own copies of the indexes (PynamoDB copies them per class) and shares the schema's
    `DoesNotExist`. Each call makes a new class: bind once, when the repository is built.
    """
    meta = type("Meta", (model.Meta,), {"table_name": table_name, "region": region})
    namespace = {
        "Meta": meta,
        "DoesNotExist": model.DoesNotExist,
        "_connection": None,
        "__module__": model.__module__,
        "__qualname__": model.__qualname__,
        "__doc__": model.__doc__,
    }
    bound = type(model)(model.__name__, (model,), namespace)
    table = bound._get_connection()  # PynamoDB's own, from the Meta; no call is made yet
    shared = connection(region)
    shared.add_meta_table(table.get_meta_table())
    table.connection = shared
    return bound


class PointsValueAttribute(MapAttribute):
    points = NumberAttribute()
    effective_from = UnicodeAttribute()


class CatalogModel(Model):
    """All eligible products share one partition, so the whole catalogue is a single Query."""

    class Meta:
        table_name = "cps-catalog"

    catalog = UnicodeAttribute(hash_key=True, default="eligible")
    sku = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    category = UnicodeAttribute()
    values = ListAttribute(of=PointsValueAttribute)


class ProductModel(Model):
    class Meta:
        table_name = "cps-products"

    account_id = UnicodeAttribute(hash_key=True)
    product_id = UnicodeAttribute(range_key=True)
    sku = UnicodeAttribute()
    name = UnicodeAttribute()
    serial_number = UnicodeAttribute(null=True)
    purchase_date = UnicodeAttribute(null=True)
    country_of_purchase = UnicodeAttribute(null=True)
    dealer = UnicodeAttribute(null=True)
    source = UnicodeAttribute()
    registered_at = UTCDateTimeAttribute()
    points = NumberAttribute(default=0)
    completed_at = UTCDateTimeAttribute(null=True)
    version = NumberAttribute(default=1)


class SerialClaimModel(Model):
    """Model + serial number → the one registration holding it."""

    class Meta:
        table_name = "cps-serial-claims"

    claim_key = UnicodeAttribute(hash_key=True)
    account_id = UnicodeAttribute()
    product_id = UnicodeAttribute()


class LedgerByTime(LocalSecondaryIndex):
    class Meta:
        index_name = "by-time"
        projection = AllProjection()

    account_id = UnicodeAttribute(hash_key=True)
    at = UnicodeAttribute(range_key=True)


class LedgerModel(Model):
    class Meta:
        table_name = "cps-ledger"

    account_id = UnicodeAttribute(hash_key=True)
    entry_id = UnicodeAttribute(range_key=True)
    at = UnicodeAttribute()  # ISO 8601, sortable
    delta = NumberAttribute()
    reason = UnicodeAttribute()
    product_id = UnicodeAttribute()

    by_time = LedgerByTime()


class LegacyProductModel(Model):
    """Products of the old CPS system, by the e-mail address they were registered under."""

    class Meta:
        table_name = "cps-legacy-products"

    email = UnicodeAttribute(hash_key=True)
    row_key = UnicodeAttribute(range_key=True)
    sku = UnicodeAttribute()
    serial_number = UnicodeAttribute(null=True)
    purchase_date = UnicodeAttribute(null=True)
    country_of_purchase = UnicodeAttribute(null=True)
    dealer = UnicodeAttribute(null=True)


class RejectionAttribute(MapAttribute):
    line = NumberAttribute()
    reason = UnicodeAttribute()


class LegacyImportModel(Model):
    class Meta:
        table_name = "cps-legacy-imports"

    import_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    requested_by = UnicodeAttribute()
    requested_at = UTCDateTimeAttribute()
    finished_at = UTCDateTimeAttribute(null=True)
    rows = NumberAttribute(default=0)
    imported = NumberAttribute(default=0)
    rejected = NumberAttribute(default=0)
    rejections = ListAttribute(of=RejectionAttribute, null=True)
    report_key = UnicodeAttribute(null=True)
    failure_reason = UnicodeAttribute(null=True)  # why a FAILED import could not read the file


class LifecycleIndex(GlobalSecondaryIndex):
    """Sparse: a membership is in it while a step of its term is still to come. The hash key
    is a shard, so no day's memberships share one partition; the range key is the step's date."""

    class Meta:
        index_name = "lifecycle-index"
        projection = KeysOnlyProjection()

    life_shard = UnicodeAttribute(hash_key=True)
    life_on = UnicodeAttribute(range_key=True)


class MembershipModel(Model):
    """A membership, plus one `CURRENT` item per account guarding "one active at a time"."""

    class Meta:
        table_name = "cps-memberships"

    account_id = UnicodeAttribute(hash_key=True)
    membership_id = UnicodeAttribute(range_key=True)
    membership_number = UnicodeAttribute()
    tier = UnicodeAttribute()
    status = UnicodeAttribute()
    starts_on = UnicodeAttribute()
    expires_on = UnicodeAttribute()
    auto_renew = BooleanAttribute()
    payment_method = UnicodeAttribute()
    terms_version = UnicodeAttribute()
    terms_accepted_at = UTCDateTimeAttribute()
    terms_accepted_by = UnicodeAttribute()
    purchase_id = UnicodeAttribute()
    purchase_order_number = UnicodeAttribute(null=True)
    payment_reference = UnicodeAttribute(null=True)
    term = NumberAttribute(default=1)
    renewal_tier = UnicodeAttribute(null=True)
    renewal_next_tier = UnicodeAttribute(null=True)
    renewal_order_id = UnicodeAttribute(null=True)
    renewals_ordered = NumberAttribute(default=0)
    steps_done = ListAttribute(of=UnicodeAttribute, null=True)
    history = UnicodeAttribute(null=True)  # JSON list of {at, event, detail, by}
    last_upgrade = UnicodeAttribute(null=True)  # JSON {order_id, tier, net, on}
    checkout_key = UnicodeAttribute(null=True)
    version = NumberAttribute(default=0)
    life_shard = UnicodeAttribute(null=True)
    life_on = UnicodeAttribute(null=True)

    lifecycle_index = LifecycleIndex()


class CurrentMembershipModel(Model):
    """The guard item: (account_id, "CURRENT") → the account's latest membership; a new one
    may only be bought once it has ended."""

    class Meta:
        table_name = "cps-memberships"

    account_id = UnicodeAttribute(hash_key=True)
    membership_id = UnicodeAttribute(range_key=True, default="CURRENT")
    current_membership_id = UnicodeAttribute()
    expires_on = UnicodeAttribute()
    ended = BooleanAttribute(default=False)


class MembershipNumberModel(Model):
    class Meta:
        table_name = "cps-membership-numbers"

    membership_number = UnicodeAttribute(hash_key=True)
    account_id = UnicodeAttribute()
    issued_at = UTCDateTimeAttribute()


class InvoiceByAccount(GlobalSecondaryIndex):
    class Meta:
        index_name = "account-index"
        projection = AllProjection()

    account_id = UnicodeAttribute(hash_key=True)
    issued_on = UnicodeAttribute(range_key=True)


class InvoiceByPurchase(GlobalSecondaryIndex):
    class Meta:
        index_name = "purchase-index"
        projection = AllProjection()

    purchase_id = UnicodeAttribute(hash_key=True)


class CollectionIndex(GlobalSecondaryIndex):
    """Sparse: an invoice is in it while a collection step is still to come (sharded like the
    lifecycle index; the range key is the next step's date)."""

    class Meta:
        index_name = "collection-index"
        projection = KeysOnlyProjection()

    collect_shard = UnicodeAttribute(hash_key=True)
    collect_on = UnicodeAttribute(range_key=True)


class ReceivablesIndex(GlobalSecondaryIndex):
    """Invoices (not credit notes) by stored status and due date, for finance."""

    class Meta:
        index_name = "receivables-index"
        projection = AllProjection()

    receivable_status = UnicodeAttribute(hash_key=True)
    due_on = UnicodeAttribute(range_key=True)


class InvoiceModel(Model):
    class Meta:
        table_name = "cps-invoices"

    invoice_number = UnicodeAttribute(hash_key=True)
    account_id = UnicodeAttribute()
    purchase_id = UnicodeAttribute()
    issued_on = UnicodeAttribute()
    document = UnicodeAttribute()  # the invoice as issued, JSON: an invoice never changes
    status = UnicodeAttribute()
    paid_on = UnicodeAttribute(null=True)
    payment_reference = UnicodeAttribute(null=True)
    pdf_available = BooleanAttribute(default=False)
    membership_id = UnicodeAttribute(null=True)
    company_name = UnicodeAttribute(null=True)
    due_on = UnicodeAttribute(null=True)
    cancelled_by = UnicodeAttribute(null=True)
    collection_done = ListAttribute(of=UnicodeAttribute, null=True)
    version = NumberAttribute(default=0)
    collect_shard = UnicodeAttribute(null=True)
    collect_on = UnicodeAttribute(null=True)
    receivable_status = UnicodeAttribute(null=True)

    account_index = InvoiceByAccount()
    purchase_index = InvoiceByPurchase()
    collection_index = CollectionIndex()
    receivables_index = ReceivablesIndex()


class PurchaseInvoiceModel(Model):
    """purchase → invoice number, written with the invoice: a purchase is invoiced once."""

    class Meta:
        table_name = "cps-counters"

    counter = UnicodeAttribute(hash_key=True)  # "purchase#<purchase_id>"
    invoice_number = UnicodeAttribute()


class CounterModel(Model):
    class Meta:
        table_name = "cps-counters"

    counter = UnicodeAttribute(hash_key=True)  # "invoice#<year>", "credit-note#<year>"
    value = NumberAttribute(default=0)
