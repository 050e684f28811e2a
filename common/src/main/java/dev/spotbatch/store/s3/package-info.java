/** The object store on Amazon S3 (or an S3-compatible server), on the AWS SDK v2 sync client. */
package dev.spotbatch.store.s3;
