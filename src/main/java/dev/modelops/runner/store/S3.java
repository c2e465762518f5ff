package dev.modelops.runner.store;

import dev.modelops.runner.RunFailure;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code s3://bucket/key} through the AWS SDK: credentials and region by its default chains (AWS_ACCESS_KEY_ID,
 * AWS_REGION, a web identity ...), the region us-east-1 when none is given, and an endpoint override
 * ({@code MODELOPS_S3_ENDPOINT}) with path-style addressing, and checksums only where required, for S3-compatible
 * stores such as MinIO.
 */
final class S3 implements AutoCloseable {

    private final S3Client client;

    S3(Optional<String> endpoint) {
        S3ClientBuilder builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create());
        if (System.getenv("AWS_REGION") == null && System.getProperty("aws.region") == null) {
            builder.region(Region.US_EAST_1);
        }
        // S3-compatible stores often refuse the checksums the SDK adds by default since 2.30: ask for them only when
        // the operation requires them.
        endpoint.ifPresent(url -> builder.endpointOverride(URI.create(url)).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
        this.client = builder.build();
    }

    void download(URI uri, Path target) {
        try {
            Files.deleteIfExists(target);
            client.getObject(b -> b.bucket(bucket(uri)).key(key(uri)), ResponseTransformer.toFile(target));
        } catch (SdkException | java.io.IOException e) {
            throw new RunFailure("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    void upload(Path file, URI uri) {
        try {
            client.putObject(b -> b.bucket(bucket(uri)).key(key(uri)), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw new RunFailure("cannot write " + uri + ": " + e.getMessage(), e);
        }
    }

    private static String bucket(URI uri) {
        if (uri.getHost() == null) {
            throw new RunFailure(uri + " names no bucket: expected s3://bucket/key");
        }
        return uri.getHost();
    }

    private static String key(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.length() <= 1) {
            throw new RunFailure(uri + " names no key: expected s3://bucket/key");
        }
        return path.substring(1);
    }

    @Override
    public void close() {
        client.close();
    }
}
