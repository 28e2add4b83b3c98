package dev.driftwatch.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Trust and key stores for https registry URLs. Both locations null means the JVM defaults.
 *
 * @param truststoreLocation path of the trust store, or null for the JVM's default trust
 * @param truststorePassword its password, or null
 * @param truststoreType JKS or PKCS12
 * @param keystoreLocation path of the client key store for mutual TLS, or null
 * @param keystorePassword its password, or null
 * @param keystoreType JKS or PKCS12
 * @param keyPassword password of the private key, or null for the key store's password
 */
public record TlsSettings(String truststoreLocation, String truststorePassword, String truststoreType,
                          String keystoreLocation, String keystorePassword, String keystoreType, String keyPassword) {

    /** No trust or key store: the JVM defaults. */
    public static final TlsSettings DEFAULTS = new TlsSettings(null, null, "JKS", null, null, "JKS", null);

    static TlsSettings from(SchemaRegistryClientConfig config) {
        return new TlsSettings(
                config.getString(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION_CONFIG),
                value(config.getPassword(SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD_CONFIG)),
                config.getString(SchemaRegistryClientConfig.SSL_TRUSTSTORE_TYPE_CONFIG),
                config.getString(SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION_CONFIG),
                value(config.getPassword(SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD_CONFIG)),
                config.getString(SchemaRegistryClientConfig.SSL_KEYSTORE_TYPE_CONFIG),
                value(config.getPassword(SchemaRegistryClientConfig.SSL_KEY_PASSWORD_CONFIG)));
    }

    private static String value(Password password) {
        return password == null ? null : password.value();
    }

    /** True when neither store is set. */
    public boolean isDefault() {
        return truststoreLocation == null && keystoreLocation == null;
    }

    /** An SSL context with the configured stores. */
    public SSLContext sslContext() {
        try {
            if (isDefault()) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory tmf = null;
            if (truststoreLocation != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(truststoreLocation, truststorePassword, truststoreType,
                        SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION_CONFIG));
            }
            KeyManagerFactory kmf = null;
            if (keystoreLocation != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPass = keyPassword != null ? keyPassword : keystorePassword;
                kmf.init(load(keystoreLocation, keystorePassword, keystoreType,
                                SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION_CONFIG),
                        keyPass == null ? null : keyPass.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("cannot set up TLS for the schema registry: " + e.getMessage());
        }
    }

    private static KeyStore load(String location, String password, String type, String key)
            throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password == null ? null : password.toCharArray());
        } catch (IOException e) {
            throw new ConfigException(key, location, "cannot read the " + type + " store: " + e.getMessage());
        }
        return store;
    }
}
