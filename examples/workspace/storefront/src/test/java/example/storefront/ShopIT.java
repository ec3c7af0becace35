package example.storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs against the catalog and orders services of the other two repos. ota:activate exported
 * their URLs as session user properties, which Failsafe passes to this JVM as system properties:
 * {@code ota.target.catalog} and {@code ota.target.orders} (also {@code ota.target.it.<target>}).
 */
class ShopIT {

    private static String target(String name) {
        String url = System.getProperty("ota.target." + name);
        assertNotNull(url, "ota.target." + name + " is not set: run through `mvn verify` (ota:activate sets it)");
        return url;
    }

    @Test
    void catalogListsProducts() throws Exception {
        Storefront shop = new Storefront(target("catalog"), target("orders"));
        List<String> products = shop.productNames();
        System.out.println("ShopIT: catalog " + target("catalog") + " lists " + products);
        assertEquals(List.of("Green tea", "Blue mug"), products);
    }

    @Test
    void ordersReadTheCatalog() throws Exception {
        Storefront shop = new Storefront(target("catalog"), target("orders"));
        List<String> ordered = shop.orderedProductNames();
        System.out.println("ShopIT: orders " + target("orders") + " ordered " + ordered);
        assertEquals(shop.productNames(), ordered, "orders should answer with what it fetched from the catalog");
    }
}
