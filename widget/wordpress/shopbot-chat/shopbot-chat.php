<?php
/**
 * Plugin Name:       Shopbot Chat
 * Description:       Adds the Shopbot shopper chat to your site. With WooCommerce it also signs in logged-in customers, passes the cart, adds products to the cart and applies coupon links the bot sends.
 * Version:           1.0.0
 * Requires at least: 6.3
 * Requires PHP:      7.4
 * Author:            Shopbot
 * License:           MIT
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       shopbot-chat
 *
 * @package ShopbotChat
 */

defined( 'ABSPATH' ) || exit;

const SHOPBOT_CHAT_HANDLE = 'shopbot-chat';
// The protocol allows 4 KB of cart; 30 lines stay well under it.
const SHOPBOT_CHAT_MAX_CART_ITEMS = 30;

/**
 * The store's identity secret: SHOPBOT_IDENTITY_SECRET from wp-config.php if defined, else the saved option.
 */
function shopbot_chat_identity_secret(): string {
	if ( defined( 'SHOPBOT_IDENTITY_SECRET' ) ) {
		return trim( (string) SHOPBOT_IDENTITY_SECRET );
	}
	return (string) get_option( 'shopbot_chat_identity_secret', '' );
}

/*
 * The storefront: the loader in the footer, with window.shopbotSettings before it.
 */

add_action( 'wp_enqueue_scripts', 'shopbot_chat_enqueue' );
add_filter( 'wp_script_attributes', 'shopbot_chat_script_attributes' );

function shopbot_chat_enqueue(): void {
	$server_url = (string) get_option( 'shopbot_chat_server_url', '' );
	if ( '' === $server_url || '' === get_option( 'shopbot_chat_store_key', '' ) ) {
		return;
	}
	// No version: the widget reads its server from its own src, which stays exactly /w/shopbot.js.
	wp_enqueue_script( SHOPBOT_CHAT_HANDLE, $server_url . '/w/shopbot.js', array(), null, array( 'in_footer' => true, 'strategy' => 'async' ) );
	wp_add_inline_script( SHOPBOT_CHAT_HANDLE, shopbot_chat_settings_script(), 'before' );
}

/**
 * Adds data-shopbot-key to the loader's tag. WordPress escapes attribute values with esc_attr.
 */
function shopbot_chat_script_attributes( array $attributes ): array {
	if ( isset( $attributes['id'] ) && SHOPBOT_CHAT_HANDLE . '-js' === $attributes['id'] ) {
		$attributes['data-shopbot-key'] = (string) get_option( 'shopbot_chat_store_key', '' );
	}
	return $attributes;
}

function shopbot_chat_settings_script(): string {
	$settings = array(
		'platform' => function_exists( 'WC' ) ? 'woocommerce' : 'custom',
		'locale'   => str_replace( '_', '-', get_locale() ),
	);
	$customer = shopbot_chat_customer();
	if ( $customer ) {
		$settings['customer'] = $customer;
	}
	$cart = shopbot_chat_cart();
	if ( $cart ) {
		$settings['cart'] = $cart;
	}
	// JSON_HEX_TAG and JSON_HEX_AMP: a name such as "</script>" cannot end the script element.
	$json = wp_json_encode( $settings, JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_UNICODE );
	$add  = function_exists( 'WC' ) ? ', {addToCart: ' . shopbot_chat_add_to_cart_js() . '}' : '';
	// Settings the page set before this script win.
	return 'window.shopbotSettings = Object.assign(' . $json . $add . ', window.shopbotSettings);';
}

/**
 * The logged-in user, signed: in WooCommerce the customer id is the WordPress user id.
 */
function shopbot_chat_customer(): ?array {
	$user_id = get_current_user_id();
	$secret  = shopbot_chat_identity_secret();
	if ( ! $user_id || '' === $secret ) {
		return null;
	}
	$user = wp_get_current_user();
	return array(
		'id'        => (string) $user_id,
		'email'     => $user->user_email,
		'name'      => $user->display_name,
		'signature' => hash_hmac( 'sha256', (string) $user_id, $secret ),
	);
}

function shopbot_chat_cart(): ?array {
	if ( ! function_exists( 'WC' ) || ! WC()->cart ) {
		return null;
	}
	$decimals = wc_get_price_decimals();
	$items    = array();
	foreach ( array_slice( WC()->cart->get_cart(), 0, SHOPBOT_CHAT_MAX_CART_ITEMS ) as $item ) {
		$items[] = array(
			'product_id' => (string) $item['product_id'],
			'variant_id' => $item['variation_id'] ? (string) $item['variation_id'] : '',
			'quantity'   => (int) $item['quantity'],
			'price'      => wc_format_decimal( $item['data']->get_price(), $decimals ),
		);
	}
	return array(
		'items'    => $items,
		'total'    => wc_format_decimal( WC()->cart->get_total( 'edit' ), $decimals ),
		'currency' => get_woocommerce_currency(),
	);
}

/**
 * The widget's addToCart for WooCommerce: WooCommerce's own AJAX endpoint (right even when WordPress lives
 * in a subfolder), then the event that makes the theme's mini cart refresh.
 */
function shopbot_chat_add_to_cart_js(): string {
	$endpoint = wp_json_encode( WC_AJAX::get_endpoint( 'add_to_cart' ), JSON_HEX_TAG | JSON_HEX_AMP );
	return <<<JS
function (id, quantity) {
  var body = new URLSearchParams({product_id: id, quantity: quantity || 1});
  return fetch($endpoint, {method: "POST", credentials: "same-origin", body: body})
    .then(function (response) { return response.json(); })
    .then(function (result) {
      if (!result || result.error) { throw new Error("WooCommerce did not add the product to the cart."); }
      if (window.jQuery) { window.jQuery(document.body).trigger("added_to_cart", [result.fragments, result.cart_hash]); }
      return result;
    });
}
JS;
}

/*
 * Cart links with several items: ?shopbot_cart=ID:QTY,ID:QTY (what the bot's checkout links carry) adds each
 * product or variation (a variation with its parent and attributes), then reloads the page without it.
 * Priority 25: after WooCommerce's own add-to-cart (20), before the coupon (30), which then reloads for both.
 */

add_action( 'wp_loaded', 'shopbot_chat_fill_cart_link', 25 );

function shopbot_chat_fill_cart_link(): void {
	// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a link anyone may follow: it only changes the visitor's own cart.
	if ( ! isset( $_GET['shopbot_cart'] ) || is_admin() || ! function_exists( 'WC' ) || ! WC()->cart ) {
		return;
	}
	if ( ! WC()->session->has_session() ) {
		WC()->session->set_customer_session_cookie( true );
	}
	// phpcs:ignore WordPress.Security.NonceVerification.Recommended
	$pairs = array_slice( explode( ',', sanitize_text_field( wp_unslash( $_GET['shopbot_cart'] ) ) ), 0, 50 );
	foreach ( $pairs as $pair ) {
		list( $id, $quantity ) = array_pad( explode( ':', $pair, 2 ), 2, '1' );
		$product = wc_get_product( absint( $id ) );
		if ( ! $product || ! $product->is_purchasable() ) {
			continue; // Deleted or no longer for sale: the rest of the cart still goes in.
		}
		$quantity = max( 1, min( 99, absint( $quantity ) ) );
		if ( $product->is_type( 'variation' ) ) {
			WC()->cart->add_to_cart( $product->get_parent_id(), $quantity, $product->get_id(), $product->get_variation_attributes() );
		} else {
			WC()->cart->add_to_cart( $product->get_id(), $quantity );
		}
	}
	// phpcs:ignore WordPress.Security.NonceVerification.Recommended
	if ( isset( $_GET['shopbot_coupon'] ) ) {
		return; // The coupon handler applies it and reloads without both.
	}
	wp_safe_redirect( remove_query_arg( array( 'shopbot_cart' ) ) );
	exit;
}

/*
 * Coupon links: https://shop.example.com/any/page/?shopbot_coupon=CODE applies CODE, then reloads the page without it.
 * Priority 30: WooCommerce handles an add-to-cart=ID in the same link at 20, so the product is in the cart first.
 */

add_action( 'wp_loaded', 'shopbot_chat_apply_coupon_link', 30 );

function shopbot_chat_apply_coupon_link(): void {
	// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a link anyone may follow: it only changes the visitor's own cart.
	if ( ! isset( $_GET['shopbot_coupon'] ) || is_admin() || ! function_exists( 'WC' ) || ! WC()->cart ) {
		return;
	}
	// phpcs:ignore WordPress.Security.NonceVerification.Recommended
	$code = wc_format_coupon_code( sanitize_text_field( wp_unslash( $_GET['shopbot_coupon'] ) ) );
	// A guest with an empty cart has no session yet; without one the coupon and the notice would not survive the redirect.
	if ( ! WC()->session->has_session() ) {
		WC()->session->set_customer_session_cookie( true );
	}
	if ( '' === $code || ! wc_get_coupon_id_by_code( $code ) ) {
		wc_add_notice( __( 'This coupon link is not valid.', 'shopbot-chat' ), 'error' );
	} elseif ( WC()->cart->has_discount( $code ) ) {
		wc_add_notice( __( 'Your coupon is already applied.', 'shopbot-chat' ), 'notice' );
	} else {
		WC()->cart->apply_coupon( $code ); // Adds WooCommerce's own notice: applied, or why not.
	}
	// Without add-to-cart and shopbot_cart too: the products are in the cart already; the reload must not add them again.
	wp_safe_redirect( remove_query_arg( array( 'shopbot_coupon', 'shopbot_cart', 'add-to-cart', 'quantity' ) ) );
	exit;
}

/*
 * Settings → Shopbot Chat.
 */

add_action( 'admin_menu', 'shopbot_chat_add_settings_page' );
add_action( 'admin_post_shopbot_chat_save', 'shopbot_chat_save_settings' );
add_filter( 'plugin_action_links_' . plugin_basename( __FILE__ ), 'shopbot_chat_action_links' );

function shopbot_chat_add_settings_page(): void {
	add_options_page( __( 'Shopbot Chat', 'shopbot-chat' ), __( 'Shopbot Chat', 'shopbot-chat' ), 'manage_options', SHOPBOT_CHAT_HANDLE, 'shopbot_chat_render_settings_page' );
}

function shopbot_chat_action_links( array $links ): array {
	$url = admin_url( 'options-general.php?page=' . SHOPBOT_CHAT_HANDLE );
	array_unshift( $links, '<a href="' . esc_url( $url ) . '">' . esc_html__( 'Settings', 'shopbot-chat' ) . '</a>' );
	return $links;
}

function shopbot_chat_render_settings_page(): void {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	$secret = shopbot_chat_identity_secret();
	// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- only chooses which message to show.
	$status = isset( $_GET['shopbot_status'] ) ? sanitize_key( wp_unslash( $_GET['shopbot_status'] ) ) : '';
	$errors = array(
		'server_url'      => __( 'The Shopbot address must be an https:// address, such as https://chat.example.net.', 'shopbot-chat' ),
		'store_key'       => __( 'The widget key starts with pk_ and has only letters, digits, - and _.', 'shopbot-chat' ),
		'identity_secret' => __( 'The identity secret starts with is_ and has only letters, digits, - and _.', 'shopbot-chat' ),
	);
	?>
	<div class="wrap">
		<h1><?php esc_html_e( 'Shopbot Chat', 'shopbot-chat' ); ?></h1>
		<?php if ( 'saved' === $status ) : ?>
			<div class="notice notice-success is-dismissible"><p><?php esc_html_e( 'Settings saved.', 'shopbot-chat' ); ?></p></div>
		<?php elseif ( isset( $errors[ $status ] ) ) : ?>
			<div class="notice notice-error"><p><?php echo esc_html( $errors[ $status ] . ' ' . __( 'Nothing was saved.', 'shopbot-chat' ) ); ?></p></div>
		<?php endif; ?>
		<p><?php esc_html_e( 'Find these in Shopbot under Settings. Also add this site\'s address to "Sites the widget may appear on" there, or the chat cannot connect.', 'shopbot-chat' ); ?></p>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
			<input type="hidden" name="action" value="shopbot_chat_save">
			<?php wp_nonce_field( 'shopbot_chat_save' ); ?>
			<table class="form-table" role="presentation">
				<tr>
					<th scope="row"><label for="shopbot-chat-server-url"><?php esc_html_e( 'Shopbot address', 'shopbot-chat' ); ?></label></th>
					<td>
						<input type="url" id="shopbot-chat-server-url" name="server_url" class="regular-text" placeholder="https://chat.example.net"
							value="<?php echo esc_attr( get_option( 'shopbot_chat_server_url', '' ) ); ?>">
					</td>
				</tr>
				<tr>
					<th scope="row"><label for="shopbot-chat-store-key"><?php esc_html_e( 'Widget key', 'shopbot-chat' ); ?></label></th>
					<td>
						<input type="text" id="shopbot-chat-store-key" name="store_key" class="regular-text code" placeholder="pk_…"
							value="<?php echo esc_attr( get_option( 'shopbot_chat_store_key', '' ) ); ?>">
						<p class="description"><?php esc_html_e( 'The chat appears once the address and the key are both filled in.', 'shopbot-chat' ); ?></p>
					</td>
				</tr>
				<tr>
					<th scope="row"><label for="shopbot-chat-identity-secret"><?php esc_html_e( 'Identity verification secret', 'shopbot-chat' ); ?></label></th>
					<td><?php shopbot_chat_render_secret_field( $secret ); ?></td>
				</tr>
			</table>
			<?php submit_button(); ?>
		</form>
	</div>
	<?php
}

/**
 * The secret's field: empty, with only the last four characters as a hint. A constant in wp-config.php wins.
 */
function shopbot_chat_render_secret_field( string $secret ): void {
	if ( defined( 'SHOPBOT_IDENTITY_SECRET' ) ) {
		echo '<p>' . esc_html__( 'Set in wp-config.php (SHOPBOT_IDENTITY_SECRET).', 'shopbot-chat' ) . '</p>';
		return;
	}
	?>
	<input type="password" id="shopbot-chat-identity-secret" name="identity_secret" class="regular-text code" autocomplete="new-password"
		placeholder="<?php echo esc_attr( '' === $secret ? 'is_…' : 'is_…' . substr( $secret, -4 ) ); ?>">
	<p class="description">
		<?php esc_html_e( 'Signs logged-in customers in, so the bot knows who they are. Leave empty to keep the saved secret; it is never shown again.', 'shopbot-chat' ); ?>
	</p>
	<?php if ( '' !== $secret ) : ?>
		<p><label><input type="checkbox" name="forget_identity_secret" value="1"> <?php esc_html_e( 'Remove the saved secret', 'shopbot-chat' ); ?></label></p>
	<?php endif; ?>
	<?php
}

function shopbot_chat_save_settings(): void {
	if ( ! current_user_can( 'manage_options' ) ) {
		wp_die( esc_html__( 'You are not allowed to change these settings.', 'shopbot-chat' ), '', array( 'response' => 403 ) );
	}
	check_admin_referer( 'shopbot_chat_save' );

	$server_url = shopbot_chat_clean_server_url( sanitize_text_field( wp_unslash( $_POST['server_url'] ?? '' ) ) );
	$store_key  = trim( sanitize_text_field( wp_unslash( $_POST['store_key'] ?? '' ) ) );
	$secret     = trim( sanitize_text_field( wp_unslash( $_POST['identity_secret'] ?? '' ) ) );

	$status = 'saved';
	if ( null === $server_url ) {
		$status = 'server_url';
	} elseif ( '' !== $store_key && ! preg_match( '/^pk_[A-Za-z0-9_-]+$/', $store_key ) ) {
		$status = 'store_key';
	} elseif ( '' !== $secret && ! preg_match( '/^is_[A-Za-z0-9_-]+$/', $secret ) ) {
		$status = 'identity_secret';
	} else {
		update_option( 'shopbot_chat_server_url', $server_url );
		update_option( 'shopbot_chat_store_key', $store_key );
		if ( ! empty( $_POST['forget_identity_secret'] ) ) {
			delete_option( 'shopbot_chat_identity_secret' );
		} elseif ( '' !== $secret ) {
			update_option( 'shopbot_chat_identity_secret', $secret );
		}
	}
	wp_safe_redirect( add_query_arg( 'shopbot_status', $status, admin_url( 'options-general.php?page=' . SHOPBOT_CHAT_HANDLE ) ) );
	exit;
}

/**
 * "https://Chat.example.net/anything" -> "https://chat.example.net"; '' stays ''; null if unusable.
 * Plain http only for localhost: an https page can load neither an http script nor a ws:// socket.
 */
function shopbot_chat_clean_server_url( string $url ): ?string {
	if ( '' === $url ) {
		return '';
	}
	if ( ! preg_match( '#^https?://#i', $url ) ) {
		$url = 'https://' . $url;
	}
	$parts = wp_parse_url( $url );
	if ( empty( $parts['host'] ) ) {
		return null;
	}
	$scheme = strtolower( $parts['scheme'] );
	$host   = strtolower( $parts['host'] );
	if ( 'https' !== $scheme && ! in_array( $host, array( 'localhost', '127.0.0.1' ), true ) ) {
		return null;
	}
	return esc_url_raw( $scheme . '://' . $host . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' ) );
}
