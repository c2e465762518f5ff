import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes the synthetic card-transaction data of the examples: {@code java examples/data/GenerateFraud.java <rows>
 * <seed> <file.csv>}. Each row is one transaction:
 *
 * <ul>
 *   <li>amount: log-normal, median 45, in currency units, two decimals;
 *   <li>hour: 0-23, fewer at night;
 *   <li>merchant_category: grocery, fuel, restaurant, online, electronics, travel;
 *   <li>distance_km: from home, exponential with mean 12; missing (empty) in 3% of rows;
 *   <li>account_age_days: uniform 1-3650;
 *   <li>is_fraud: 1 with probability sigmoid(z), z = -3.4 + 0.8 ln(amount/45) + 1.4 [hour < 6]
 *       + {online 1.0, electronics 1.2, travel 0.8, other 0} + 0.03 min(distance_km, 60) - 0.0004 account_age_days.
 * </ul>
 *
 * The same seed gives the same file.
 */
public class GenerateFraud {

    private static final String[] CATEGORIES = {"grocery", "fuel", "restaurant", "online", "electronics", "travel"};
    private static final double[] CATEGORY_WEIGHT = {0.30, 0.15, 0.20, 0.20, 0.08, 0.07};
    private static final double[] CATEGORY_EFFECT = {0, 0, 0, 1.0, 1.2, 0.8};

    public static void main(String[] args) throws IOException {
        int rows = Integer.parseInt(args[0]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
        Path file = Path.of(args[2]);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("amount,hour,merchant_category,distance_km,account_age_days,is_fraud");
            for (int i = 0; i < rows; i++) {
                double amount = Math.round(45 * Math.exp(0.9 * gaussian(random)) * 100) / 100.0;
                int hour = hour(random);
                int category = category(random);
                double distance = -12 * Math.log(1 - random.nextDouble());
                boolean distanceMissing = random.nextDouble() < 0.03;
                int age = 1 + random.nextInt(3650);
                double z = -3.4 + 0.8 * Math.log(amount / 45) + (hour < 6 ? 1.4 : 0) + CATEGORY_EFFECT[category]
                        + 0.03 * Math.min(distance, 60) - 0.0004 * age;
                int fraud = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
                out.println(String.format(Locale.ROOT, "%.2f,%d,%s,%s,%d,%d", amount, hour, CATEGORIES[category],
                        distanceMissing ? "" : String.format(Locale.ROOT, "%.1f", distance), age, fraud));
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static int hour(SplittableRandom random) {
        while (true) {
            int hour = random.nextInt(24);
            if (hour >= 6 || random.nextDouble() < 0.3) {
                return hour;
            }
        }
    }

    private static int category(SplittableRandom random) {
        double u = random.nextDouble();
        for (int i = 0; i < CATEGORIES.length; i++) {
            u -= CATEGORY_WEIGHT[i];
            if (u < 0) {
                return i;
            }
        }
        return CATEGORIES.length - 1;
    }
}
