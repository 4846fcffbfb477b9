"""S3-compatible storage (MinIO, Ceph, a cloud's object store) whose files saved inside a transaction
that rolls back are removed (``core.txfiles``, ADR 0141). A module of its own so that local storage
does not import boto3."""

from storages.backends.s3 import S3Storage as BaseS3Storage

from .txfiles import TransactionalFilesMixin


class S3Storage(TransactionalFilesMixin, BaseS3Storage):
    pass
