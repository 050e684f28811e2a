package dev.spotbatch.store.s3;

import dev.spotbatch.resilience.CloudCalls;
import dev.spotbatch.resilience.RetryOptions;
import dev.spotbatch.resilience.TransientErrors;
import dev.spotbatch.store.ObjectInfo;
import dev.spotbatch.store.ObjectNotFoundException;
import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.StoreException;
import dev.spotbatch.store.StoreUri;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@link ObjectStore} on Amazon S3: ranged GET, HeadObject, PutObject (atomic by nature),
 * conditional PutObject with {@code If-None-Match: *} for put-if-absent, paged ListObjectsV2 and
 * DeleteObject. Transient errors are retried with the shared {@link CloudCalls} policy; a missing
 * object is never retried. Thread-safe; does not close the client, which belongs to the caller.
 *
 * <p>Listing is segment-wise like {@link StoreUri#contains}: the prefix {@code s3://b/docs} lists
 * {@code docs} and {@code docs/...}, never {@code docs2/...}.
 */
public final class S3ObjectStore implements ObjectStore {
  private final S3Client client;
  private final CloudCalls calls;

  public S3ObjectStore(S3Client client) {
    this(client, RetryOptions.defaults());
  }

  public S3ObjectStore(S3Client client, RetryOptions retry) {
    this.client = Objects.requireNonNull(client, "client");
    this.calls = new CloudCalls("s3", Objects.requireNonNull(retry, "retry"));
  }

  @Override
  public InputStream read(StoreUri uri, long start, long end) {
    check(uri);
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("invalid range [" + start + "," + end + ")");
    }
    if (start == end) {
      if (stat(uri).isEmpty()) {
        throw new ObjectNotFoundException("no object at " + uri);
      }
      return InputStream.nullInputStream();
    }
    String range = "bytes=" + start + "-" + (end - 1);
    try {
      return call(
          "GetObject " + uri,
          () -> client.getObject(b -> b.bucket(uri.bucket()).key(uri.key()).range(range)));
    } catch (StoreException e) {
      if (e.getCause() instanceof AwsServiceException service) {
        if (service.statusCode() == 416) {
          // the range starts at or after the end of the object
          return InputStream.nullInputStream();
        }
        if (service.statusCode() == 403) {
          // S3 answers 403 for a missing key when the caller may not list the bucket
          throw new ObjectNotFoundException(
              "cannot read "
                  + uri
                  + ": access denied (the object is missing, or this process lacks s3:GetObject)");
        }
      }
      throw e;
    }
  }

  @Override
  public Optional<ObjectInfo> stat(StoreUri uri) {
    check(uri);
    try {
      HeadObjectResponse head =
          call(
              "HeadObject " + uri,
              () -> client.headObject(b -> b.bucket(uri.bucket()).key(uri.key())));
      return Optional.of(new ObjectInfo(uri, head.contentLength()));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public void put(StoreUri uri, Path file) {
    check(uri);
    if (!Files.isRegularFile(file)) {
      throw new StoreException("cannot put " + uri + ": no such file " + file);
    }
    call(
        "PutObject " + uri,
        () ->
            client.putObject(
                b -> b.bucket(uri.bucket()).key(uri.key()), RequestBody.fromFile(file)));
  }

  @Override
  public void put(StoreUri uri, byte[] bytes) {
    check(uri);
    call(
        "PutObject " + uri,
        () ->
            client.putObject(
                b -> b.bucket(uri.bucket()).key(uri.key()), RequestBody.fromBytes(bytes)));
  }

  /**
   * {@inheritDoc}
   *
   * <p>If a first attempt timed out after S3 stored the object, the retry sees it and this returns
   * false: the object exists either way.
   */
  @Override
  public boolean putIfAbsent(StoreUri uri, byte[] bytes) {
    check(uri);
    try {
      call(
          "PutObject (If-None-Match) " + uri,
          () ->
              client.putObject(
                  b -> b.bucket(uri.bucket()).key(uri.key()).ifNoneMatch("*"),
                  RequestBody.fromBytes(bytes)));
      return true;
    } catch (StoreException e) {
      if (e.getCause() instanceof AwsServiceException service && service.statusCode() == 412) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public List<ObjectInfo> list(StoreUri prefix) {
    List<ObjectInfo> found = new ArrayList<>();
    forEachUnder(prefix, found::add);
    return found.stream()
        .sorted(Comparator.comparing(info -> info.uri().key()))
        .collect(Collectors.toList());
  }

  /**
   * {@inheritDoc}
   *
   * <p>One ListObjectsV2 page (up to 1,000 keys) at a time, in S3's order (UTF-8 binary order of
   * the keys); only the current page is held.
   */
  @Override
  public void forEachUnder(StoreUri prefix, Consumer<ObjectInfo> each) {
    check(prefix);
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page =
          call(
              "ListObjectsV2 " + prefix,
              () ->
                  client.listObjectsV2(
                      b ->
                          b.bucket(prefix.bucket())
                              .prefix(prefix.key())
                              .continuationToken(continuation)));
      for (S3Object object : page.contents()) {
        StoreUri uri = new StoreUri(StoreUri.S3, prefix.bucket(), object.key());
        if (object.key().endsWith("/") || !prefix.contains(uri)) {
          continue; // a "folder" marker, or a sibling that merely shares the prefix text
        }
        each.accept(new ObjectInfo(uri, object.size()));
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
  }

  @Override
  public void delete(StoreUri uri) {
    check(uri);
    call(
        "DeleteObject " + uri,
        () -> client.deleteObject(b -> b.bucket(uri.bucket()).key(uri.key())));
  }

  private <T> T call(String what, Supplier<T> call) {
    try {
      return calls.call(call);
    } catch (RuntimeException e) {
      Throwable t = TransientErrors.unwrap(e);
      if (t instanceof NoSuchKeyException
          || (t instanceof AwsServiceException service
              && service.statusCode() == 404
              && !"NoSuchBucket".equals(errorCode(service)))) {
        throw new ObjectNotFoundException("no object at " + what.substring(what.indexOf(' ') + 1));
      }
      if (t instanceof CallNotPermittedException) {
        throw new StoreException(
            what + ": S3 calls are suspended after repeated failures (circuit open)", t);
      }
      throw new StoreException(what + " failed: " + t.getMessage(), t);
    }
  }

  private static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  private static void check(StoreUri uri) {
    Objects.requireNonNull(uri, "uri");
    if (!StoreUri.S3.equals(uri.scheme())) {
      throw new IllegalArgumentException("the S3 store reads s3:// locations, not " + uri);
    }
  }
}
