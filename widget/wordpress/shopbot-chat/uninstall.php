<?php
/**
 * Runs when the plugin is deleted from WordPress: removes the options it saved, on every site of a network.
 *
 * @package ShopbotChat
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

$shopbot_chat_sites = is_multisite() ? get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) : array( 0 );
foreach ( $shopbot_chat_sites as $shopbot_chat_site ) {
	if ( $shopbot_chat_site ) {
		switch_to_blog( $shopbot_chat_site );
	}
	delete_option( 'shopbot_chat_server_url' );
	delete_option( 'shopbot_chat_store_key' );
	delete_option( 'shopbot_chat_identity_secret' );
	if ( $shopbot_chat_site ) {
		restore_current_blog();
	}
}
