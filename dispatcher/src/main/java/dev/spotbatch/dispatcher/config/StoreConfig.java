package dev.spotbatch.dispatcher.config;

import dev.spotbatch.store.ObjectStore;
import dev.spotbatch.store.ObjectStores;
import dev.spotbatch.store.StoreUri;
import dev.spotbatch.store.local.LocalObjectStore;
import dev.spotbatch.store.s3.S3ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The object store: {@code file://} under the allowed {@code file} roots (and the staging
 * location), {@code s3://} through the Spring Cloud AWS {@link S3Client} when there is one.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfig {

  @Bean
  ObjectStore objectStore(SpotbatchProperties props, ObjectProvider<S3Client> s3) throws Exception {
    List<Path> fileRoots = new ArrayList<>();
    List<String> locations = new ArrayList<>(props.allowedRoots());
    locations.add(props.stagingUri());
    for (String root : locations) {
      StoreUri uri = StoreUri.parse(root);
      if (StoreUri.FILE.equals(uri.scheme())) {
        Path p = uri.toPath();
        Files.createDirectories(p);
        fileRoots.add(p);
      }
    }
    Map<String, ObjectStore> stores = new HashMap<>();
    if (!fileRoots.isEmpty()) {
      stores.put(StoreUri.FILE, new LocalObjectStore(fileRoots));
    }
    S3Client client = s3.getIfAvailable();
    if (client != null) {
      stores.put(StoreUri.S3, new S3ObjectStore(client));
    }
    return new ObjectStores(stores);
  }
}
